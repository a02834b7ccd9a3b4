import { describe, expect, it } from 'vitest';
import { DEFAULT_STAFFING_RULES, staffingViolations } from './staffing';

describe('staffingViolations', () => {
  it('theory: at least 2 proctors and 1 per 15 candidates', () => {
    expect(staffingViolations({ component: 'theory', candidates: 30, proctors: 2, evaluators: 0 })).toEqual(
      [],
    );
    expect(staffingViolations({ component: 'theory', candidates: 20, proctors: 1, evaluators: 0 })).toEqual([
      '每个考场至少 2 名监考人员，现有 1 名',
      '20 名考生至少需要 2 名监考人员（1:15），现有 1 名',
    ]);
    expect(staffingViolations({ component: 'theory', candidates: 31, proctors: 2, evaluators: 0 })).toEqual([
      '31 名考生至少需要 3 名监考人员（1:15），现有 2 名',
    ]);
  });

  it('practical: an odd number of at least 3 evaluators, 1 per 5 candidates', () => {
    expect(
      staffingViolations({ component: 'practical', candidates: 15, proctors: 0, evaluators: 3 }),
    ).toEqual([]);
    expect(
      staffingViolations({ component: 'practical', candidates: 16, proctors: 0, evaluators: 4 }),
    ).toEqual(['考评员人数应为单数，现有 4 名']);
    expect(
      staffingViolations({ component: 'practical', candidates: 26, proctors: 0, evaluators: 5 }),
    ).toEqual(['26 名考生至少需要 6 名考评员（1:5），现有 5 名']);
  });

  it('comprehensive review: an odd panel of at least 3; the rules are configuration', () => {
    expect(
      staffingViolations({ component: 'comprehensive', candidates: 8, proctors: 0, evaluators: 2 }),
    ).toEqual(['综合评审委员至少 3 名，现有 2 名', '综合评审委员人数应为单数，现有 2 名']);
    const lenient = { ...DEFAULT_STAFFING_RULES, theoryMinProctors: 1 };
    expect(
      staffingViolations({ component: 'theory', candidates: 10, proctors: 1, evaluators: 0 }, lenient),
    ).toEqual([]);
  });
});
