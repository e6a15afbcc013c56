// A plain reference clearing of one batch under the settlement contract's rules (AuctionSettlement.sol), for the
// harnesses' honest operator. Written to be read, not to be fast: every quantity is a BigInt, every step a loop.
//
// The input is the batch's opened orders in ascending commitment order, each with its own reservation:
//   { order: { side, orderType, limitPrice, quantity }, digest, baseReserved, quoteReserved }
// (a market order's limitPrice is its signed worst price). The market is { maxPrice, maxQuantity, lotSize, tickSize }.
//
// The rules:
// - Eligible: the first opened copy of its digest in commitment order (an earlier copy takes the digest whether or
//   not it is itself eligible), side and type known, 1 <= quantity <= maxQuantity, 1 <= limitPrice <= maxPrice, and
//   funded at its worst price by its own reservation (buy: quantity x limitPrice x tickSize quote atoms; sell:
//   quantity x lotSize base atoms). Anything else trades 0 lots.
// - At a price p an eligible buy admits p if limitPrice >= p, a sell if limitPrice <= p; D(p) and S(p) are the
//   quantities that admit p, V(p) = min(D(p), S(p)). The price has maximal V. If that is 0, the price is 0 and
//   nothing trades.
// - The short side (the one with the smaller total at p; both if equal) fills completely. The long side fills V
//   lots by price priority: market orders first, then limits from the best; the level where V runs out is shared
//   pro rata by quantity (floors, then one lot each by largest remainder, ties to the earlier commitment).

export const BUY = 1;
export const SELL = 2;
export const LIMIT = 0;
export const MARKET = 1;

/** Whether each opened order (in commitment order) may trade. */
export function eligibility(market, opened) {
  const seen = new Set();
  return opened.map(({ order, digest, baseReserved, quoteReserved }) => {
    const first = !seen.has(digest);
    seen.add(digest);
    const valid = (order.side === BUY || order.side === SELL) && (order.orderType === LIMIT || order.orderType === MARKET)
      && order.quantity >= 1n && order.quantity <= market.maxQuantity && order.limitPrice >= 1n && order.limitPrice <= market.maxPrice;
    if (!first || !valid) return false;
    return order.side === BUY
      ? order.quantity * order.limitPrice * market.tickSize <= quoteReserved
      : order.quantity * market.lotSize <= baseReserved;
  });
}

/** Whether an order admits price p. */
export function admits(order, p) {
  return order.side === BUY ? order.limitPrice >= p : order.limitPrice <= p;
}

/** D(p), S(p) and V(p) over the eligible orders. */
export function volumeAt(opened, eligible, p) {
  let demand = 0n;
  let supply = 0n;
  opened.forEach(({ order }, i) => {
    if (!eligible[i] || !admits(order, p)) return;
    if (order.side === BUY) demand += order.quantity;
    else supply += order.quantity;
  });
  return { demand, supply, volume: demand < supply ? demand : supply };
}

/**
 * The prices of maximal volume: { volume, lo, hi }, every price in [lo, hi] reaching it (volume 0: no price trades).
 * V only changes at limit prices: it can rise only where S rises (at a sell limit) and fall only where D falls
 * (just above a buy limit), and it rises then falls, so the lowest and highest maximal prices are among 1, maxPrice
 * and the eligible limits, and every price between them is maximal too.
 */
export function maximalVolume(market, opened, eligible) {
  const candidates = new Set([1n, market.maxPrice]);
  opened.forEach(({ order }, i) => eligible[i] && candidates.add(order.limitPrice));
  let best = { volume: 0n, lo: 0n, hi: 0n };
  for (const p of [...candidates].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const { volume } = volumeAt(opened, eligible, p);
    if (volume > best.volume) best = { volume, lo: p, hi: p };
    else if (volume === best.volume && volume > 0n) best.hi = p;
  }
  return best;
}

/** An order's place in its side's queue: higher is served first, market orders before every limit. */
export function priorityRank(market, order) {
  if (order.orderType === MARKET) return market.maxPrice + 1n;
  return order.side === BUY ? order.limitPrice : market.maxPrice + 1n - order.limitPrice;
}

/** The lots of every opened order at price p (which may be any price, maximal or not). */
export function allocate(market, opened, eligible, p) {
  const lots = opened.map(() => 0n);
  if (p === 0n) return lots;
  const { demand, supply, volume } = volumeAt(opened, eligible, p);
  for (const side of [BUY, SELL]) {
    const members = opened.map((o, i) => i).filter((i) => eligible[i] && opened[i].order.side === side && admits(opened[i].order, p));
    const total = side === BUY ? demand : supply;
    if (total === volume) {
      for (const i of members) lots[i] = opened[i].order.quantity;
      continue;
    }
    let left = volume;
    const levels = [...new Set(members.map((i) => priorityRank(market, opened[i].order)))].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
    for (const level of levels) {
      const here = members.filter((i) => priorityRank(market, opened[i].order) === level);
      const levelQuantity = here.reduce((sum, i) => sum + opened[i].order.quantity, 0n);
      if (levelQuantity <= left) {
        for (const i of here) lots[i] = opened[i].order.quantity;
        left -= levelQuantity;
        continue;
      }
      for (const i of here) lots[i] = (opened[i].order.quantity * left) / levelQuantity;
      let leftover = left - here.reduce((sum, i) => sum + lots[i], 0n);
      const byRemainder = [...here].sort((a, b) => {
        const ra = (opened[a].order.quantity * left) % levelQuantity;
        const rb = (opened[b].order.quantity * left) % levelQuantity;
        return ra > rb ? -1 : ra < rb ? 1 : a - b;
      });
      for (const i of byRemainder) {
        if (leftover === 0n) break;
        lots[i] += 1n;
        leftover -= 1n;
      }
      break;
    }
  }
  return lots;
}

/**
 * Clears a batch: { price, volume, lots, eligible, lo, hi }. `pickPrice(lo, hi)` chooses among the maximal prices
 * (the contract accepts any of them); the default is the midpoint, rounded down.
 */
export function clear(market, opened, pickPrice = (lo, hi) => (lo + hi) / 2n) {
  const eligible = eligibility(market, opened);
  const { volume, lo, hi } = maximalVolume(market, opened, eligible);
  const price = volume === 0n ? 0n : pickPrice(lo, hi);
  return { price, volume, lots: allocate(market, opened, eligible, price), eligible, lo, hi };
}
