import { describe, expect, it } from 'vitest';
import { plan, type Chain, type MeasuredCosts } from './scale-model';

const costs: MeasuredCosts = {
  salesPerFullMessage: 100,
  messageBytesPerSale: 300,
  workerSalesPerSecond: 1000,
  copySalesPerSecond: 4000,
  rowsPerSale: 10,
  storageBytesPerSale: 2000,
};
const chain: Chain = {
  branches: 1000,
  tillsPerBranch: 2,
  salesPerBranchPerDay: 4320,
  tradingHours: 12,
  peakFactor: 10,
  syncMinutes: 5,
};

describe('the scale model', () => {
  it('spreads the day over the trading hours and sends a message per till per sync', () => {
    const p = plan(chain, costs);
    // 1000 × 4320 sales over 43,200 s: 100 a second, 1000 at the peak.
    expect(p.average.salesPerSecond).toBeCloseTo(100);
    expect(p.peak.salesPerSecond).toBeCloseTo(1000);
    // 2000 tills: 0.05 sales/s each, 15 per 5-minute sync at the average, 150 at the peak.
    expect(p.average.salesPerTillPerSync).toBeCloseTo(15);
    expect(p.average.messagesPerTillPerSync).toBe(1);
    expect(p.peak.messagesPerTillPerSync).toBe(2);
    expect(p.average.putsPerSecond).toBeCloseTo(2000 / 300);
    expect(p.peak.putsPerSecond).toBeCloseTo(4000 / 300);
    expect(p.peak.averageMessageBytes).toBeCloseTo((150 * 300) / 2);
    expect(p.peak.rowsPerSecond).toBeCloseTo(10_000);
    expect(p.storageBytesPerYear).toBe(1000 * 4320 * 365 * 2000);
  });

  it('needs more workers and shards as the peak outgrows one', () => {
    const p = plan(chain, costs);
    // 1000 sales/s at 70 % of 1000 per worker: 2 workers.
    expect(p.workers).toBe(2);
    // One server is proven at 1000 sales/s (one worker's rate): the peak
    // uses all of it, twice the 50 % kept free, so two shards.
    expect(p.databaseShards).toBe(2);
    expect(p.first.name).toContain('proven');
    expect(p.first.branchesAllowed).toBe(500);
    const ceiling = p.limits.find((l) => l.name.includes('COPY'))!;
    expect(ceiling.use).toBeCloseTo(0.25);
    const small = plan({ ...chain, branches: 400 }, costs);
    expect(small.databaseShards).toBe(1);
    expect(small.workers).toBe(1);
    const big = plan({ ...chain, branches: 5000 }, costs);
    expect(big.databaseShards).toBe(10);
    expect(big.workers).toBe(8);
  });

  it('names the field that is wrong', () => {
    expect(() => plan({ ...chain, tillsPerBranch: 0 }, costs)).toThrow(/tillsPerBranch: must be a number above 0/);
    expect(() => plan({ ...chain, tradingHours: 30 }, costs)).toThrow(/tradingHours/);
    expect(() => plan({ ...chain, peakFactor: 0.5 }, costs)).toThrow(/peakFactor/);
  });
});
