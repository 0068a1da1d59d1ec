import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { DateTimeColumn } from '../../common/columns';
import { FenColumn } from '../../common/money';
import { SafeInt } from '../../common/scalars';

/** Parts bought from a supplier and received into the centre. */
@ObjectType()
@Entity('purchase_receipt')
@Index('idx_purchase_receipt_supplier', ['supplierId', 'id'])
// The supplier's delivery note or invoice number: the same one cannot be booked twice.
@Index('uq_purchase_receipt_reference', ['supplierId', 'reference'], { unique: true })
export class PurchaseReceipt {
  @Field(() => ID)
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  supplierId: number;

  @Column({ type: 'int' })
  locationId: number;

  @Field(() => String, { nullable: true, description: "The supplier's delivery note or invoice number (unique per supplier)" })
  @Column({ type: 'varchar', length: 64, nullable: true })
  reference: string | null;

  @Field(() => SafeInt)
  @FenColumn()
  totalFen: number;

  @Field()
  @DateTimeColumn()
  receivedAt: Date;

  @Column({ type: 'int', nullable: true })
  actorId: number | null;

  @Field(() => String, { nullable: true, description: 'Username of who booked it' })
  @Column({ type: 'varchar', length: 64, nullable: true })
  actorName: string | null;
}
