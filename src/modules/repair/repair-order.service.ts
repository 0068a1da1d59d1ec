import { EntityManager } from 'typeorm';
import { ConflictError, NotFoundError } from '../../common/errors';
import { isMysql } from '../../common/db';
import { OPEN_REPAIR_STATUSES, RepairOrder } from './repair-order.entity';

/**
 * For other modules (parts consumed against an order, loaners lent against it): the order, if it
 * exists, belongs to `partnerId` (null: any partner, for staff) and is still open. Another partner's
 * order is NOT_FOUND, like a missing one, so its existence does not leak; a returned or cancelled
 * order is CONFLICT. With `lock`, MySQL holds the row until the transaction ends, so the order
 * cannot be closed under the caller's feet.
 */
export async function getOpenRepairOrderForPartner(
  em: EntityManager,
  orderId: number,
  partnerId: number | null,
  options: { lock?: boolean } = {},
): Promise<RepairOrder> {
  const qb = em.getRepository(RepairOrder).createQueryBuilder('o').where('o.id = :id', { id: orderId });
  if (options.lock && isMysql(em)) qb.setLock('pessimistic_write');
  const order = await qb.getOne();
  if (!order || (partnerId != null && order.partnerId !== partnerId)) throw new NotFoundError('RepairOrder', orderId);
  if (!OPEN_REPAIR_STATUSES.includes(order.status)) {
    throw new ConflictError(`Repair order ${orderId} is ${order.status}: it is closed`, { repairOrderId: orderId, status: order.status });
  }
  return order;
}
