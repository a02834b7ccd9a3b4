import type { Component } from './levels';

/**
 * Staffing ratio rules per room (domain.md §3.2): theory rooms need ≥ 2 proctors and at most 15
 * candidates per proctor; practical assessment at most 5 candidates per evaluator with an odd number
 * ≥ 3 of evaluators; comprehensive-review panels an odd number ≥ 3. Per-standard values: configuration.
 */
export interface StaffingRules {
  theoryCandidatesPerProctor: number;
  theoryMinProctors: number;
  practicalCandidatesPerEvaluator: number;
  practicalMinEvaluators: number;
  practicalOdd: boolean;
  panelMin: number;
  panelOdd: boolean;
}

export const DEFAULT_STAFFING_RULES: StaffingRules = {
  theoryCandidatesPerProctor: 15,
  theoryMinProctors: 2,
  practicalCandidatesPerEvaluator: 5,
  practicalMinEvaluators: 3,
  practicalOdd: true,
  panelMin: 3,
  panelOdd: true,
};

export function staffingViolations(
  room: { component: Component; candidates: number; proctors: number; evaluators: number },
  rules: StaffingRules = DEFAULT_STAFFING_RULES,
): string[] {
  const v: string[] = [];
  if (room.component === 'theory') {
    if (room.proctors < rules.theoryMinProctors) {
      v.push(`每个考场至少 ${rules.theoryMinProctors} 名监考人员，现有 ${room.proctors} 名`);
    }
    const need = Math.ceil(room.candidates / rules.theoryCandidatesPerProctor);
    if (room.proctors < need) {
      v.push(
        `${room.candidates} 名考生至少需要 ${need} 名监考人员（1:${rules.theoryCandidatesPerProctor}），现有 ${room.proctors} 名`,
      );
    }
  } else {
    const min = room.component === 'practical' ? rules.practicalMinEvaluators : rules.panelMin;
    const odd = room.component === 'practical' ? rules.practicalOdd : rules.panelOdd;
    const who = room.component === 'practical' ? '考评员' : '综合评审委员';
    if (room.evaluators < min) v.push(`${who}至少 ${min} 名，现有 ${room.evaluators} 名`);
    if (odd && room.evaluators % 2 === 0) v.push(`${who}人数应为单数，现有 ${room.evaluators} 名`);
    if (room.component === 'practical') {
      const need = Math.ceil(room.candidates / rules.practicalCandidatesPerEvaluator);
      if (room.evaluators < need) {
        v.push(
          `${room.candidates} 名考生至少需要 ${need} 名考评员（1:${rules.practicalCandidatesPerEvaluator}），现有 ${room.evaluators} 名`,
        );
      }
    }
  }
  return v;
}
