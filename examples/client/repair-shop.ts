/** A repair shop (demo user shop1, partner RP-01): check the stock it can draw on, then open a repair order. */
import { OpenRepairOrderDocument, StockLevelsDocument } from './gql/graphql';
import { check, login, main, run } from './client';

export async function repairShop(): Promise<void> {
  const { client } = await login('shop1');

  const { stockLevels } = await run(client, StockLevelsDocument, { first: 100 });
  const screens = stockLevels.edges.map((e) => e.node).filter((s) => s.part.sku.startsWith('SX199-'));
  check(screens.length > 0, 'no Samsung SCH-X199 parts in stock');
  console.log(`repair shop: ${stockLevels.totalCount} stock levels in stock; SCH-X199 parts: ${screens.map((s) => `${s.part.sku} ${s.onHand} at ${s.location.kind}`).join(', ')}`);

  const { openRepairOrder: order } = await run(
    client,
    OpenRepairOrderDocument,
    { input: { brand: 'SAMSUNG', model: 'SCH-X199', serial: 'A0000012345678', customerMsisdn: '13307161234', fault: 'No display after a fall' } },
    'mutation',
  );
  check(order.status === 'RECEIVED', `a new order should be RECEIVED, got ${order.status}`);
  console.log(`repair shop: opened order ${order.id} for ${order.brand} ${order.model} (${order.network}) at ${order.partner.code}, ${order.status}`);
}

main(repairShop, module);
