// Rates, limits and the amount calculator of a direction (what the script's get_calc_data does
// for get_direction, get_calc and create_bid).

/** PHP-ish amount parsing (is_sum): a comma counts as the decimal point, junk is ignored. */
export function parseSum(value) {
  const n = Number.parseFloat(String(value ?? '').trim().replace(/,/g, '.').replace(/[^0-9.-]/g, ''));
  return Number.isFinite(n) ? n : 0;
}

/** Rounds half away from zero to `dec` places. */
export function round(n, dec) {
  const f = 10 ** dec;
  return Math.sign(n) * Math.round(Math.abs(n) * f + 1e-9) / f;
}

/** Amount as the script prints it: fixed point, no exponent, no trailing zeros. */
export function fmt(n, dec) {
  const s = round(n, dec).toFixed(dec);
  return dec > 0 ? s.replace(/\.?0+$/, '') : s;
}

/**
 * The two "course" numbers of a direction: one side is 1, the other the rate, so that
 * get = give * course_get / course_give. Rates are fixed for the life of the sandbox so that
 * tests can predict amounts.
 */
export function courses(give, get, margin) {
  const rate = (give.usd / get.usd) * (1 - margin);
  return rate >= 1
    ? { courseGive: 1, courseGet: round(rate, get.decimals) }
    : { courseGive: round(1 / rate, give.decimals), courseGet: 1 };
}

/** Limits in both currencies; the reserve of the "get" currency always caps max_get. */
export function limits(dir) {
  return {
    minGive: dir.minGive,
    maxGive: dir.maxGive,
    minGet: dir.minGet,
    maxGet: Math.min(dir.maxGet ?? Infinity, dir.getCur.reserve),
  };
}

/**
 * Computes all four sums from an amount and the side it belongs to (calc_action 1..4: give,
 * get, give with fee, get with fee). `getFee` overrides the fixed payout fee (network choice).
 * With `clamp` the amount is moved into [min, max] and `changed` is 1, as the calculator does;
 * create_bid does not clamp, it reports the violation instead.
 */
export function quote(dir, { amount, action, getFee = dir.comGet.fix, clamp }) {
  const rate = dir.courseGet / dir.courseGive;
  const pGive = dir.comGive.pct / 100;
  const pGet = dir.comGet.pct / 100;
  const fGive = dir.comGive.fix;
  let x; // the amount in the "give" currency, before fees
  switch (action) {
    case 2: x = amount / rate; break;
    case 3: x = (amount - fGive) / (1 + pGive); break;
    case 4: x = (amount + getFee) / (1 - pGet) / rate; break;
    default: x = amount;
  }
  const lim = limits(dir);
  let changed = 0;
  if (clamp) {
    const low = Math.max(lim.minGive ?? 0, (lim.minGet ?? 0) / rate);
    const high = Math.min(lim.maxGive ?? Infinity, lim.maxGet / rate);
    if (!(x >= low)) { x = low; changed = 1; } else if (x > high) { x = high; changed = 1; }
  }
  const dg = dir.giveCur.decimals;
  const dt = dir.getCur.decimals;
  return {
    rate,
    changed,
    limits: lim,
    sumGive: round(x, dg),
    sumGiveCom: round(x * (1 + pGive) + fGive, dg),
    sumGet: round(x * rate, dt),
    sumGetCom: round(Math.max(0, x * rate * (1 - pGet) - getFee), dt),
  };
}
