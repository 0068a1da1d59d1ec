import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { EnumColumn } from '../../common/columns';
import { FenColumn } from '../../common/money';
import { SafeInt } from '../../common/scalars';
import { StockDocumentType } from './stock-movement.entity';

/** A line of a purchase receipt, an issue, a consumption or a return: one part, how many, at what cost. */
@ObjectType('PartsDocumentLine', { description: 'One part on a stock document, at the cost it moved at' })
@Entity('parts_document_line')
@Index('idx_parts_document_line_document', ['documentType', 'documentId', 'id'])
@Index('idx_parts_document_line_part', ['partId'])
export class PartsDocumentLine {
  @PrimaryGeneratedColumn()
  id: number;

  @EnumColumn(StockDocumentType)
  documentType: StockDocumentType;

  @Column({ type: 'int' })
  documentId: number;

  @Column({ type: 'int' })
  partId: number;

  @Field(() => Int)
  @Column({ type: 'int' })
  quantity: number;

  @Field(() => SafeInt)
  @FenColumn()
  unitCostFen: number;

  @Field(() => SafeInt, { description: 'quantity × unitCostFen' })
  @FenColumn()
  amountFen: number;
}
