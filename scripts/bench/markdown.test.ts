import { describe, expect, it } from 'vitest';
import { benchmarksMarkdown, machineFacts } from './markdown';

const machine = { ...machineFacts(), date: '2026-11-23T10:00:00Z', commit: 'abc1234', loadBefore: '1.00 1.00 1.00' };

describe('docs/benchmarks.md', () => {
  it('lists every check with its goal, every figure, and the machine', () => {
    const md = benchmarksMarkdown(
      [
        {
          name: 'push',
          seconds: 61,
          result: {
            name: 'push',
            figures: [
              { label: 'direct: push', value: 900.5, unit: 'sales/s' },
              { label: 'direct: floor | raw SDK', value: 1000, unit: 'sales/s' },
            ],
            checks: [{ figure: 'direct: ratio', value: 0.9005, goal: '>= 0.8', met: true }],
          },
        },
        {
          name: 'ingest',
          seconds: 12,
          result: {
            name: 'ingest',
            figures: [],
            checks: [{ figure: 'worker ÷ COPY', value: 0.41, goal: '>= 0.5', met: false }],
          },
        },
        { name: 'pull', seconds: 3, error: 'Azurite did not start' },
      ],
      machine,
    );
    expect(md).toContain('| push | direct: ratio | 0.9005 | >= 0.8 | yes |');
    expect(md).toContain('| ingest | worker ÷ COPY | 0.4100 | >= 0.5 | **no** |');
    expect(md).toContain('| pull | (failed: Azurite did not start) | | | no |');
    // A pipe in a label must not split the table's cell.
    expect(md).toContain('| direct: floor \\| raw SDK | 1,000 | sales/s |');
    expect(md).toContain('baseline: the same bytes sent as ready-made messages');
    expect(md).toContain('commit abc1234');
    expect(md).toContain(`${machine.cores} cores`);
  });
});
