// helper.DefaultNormalizeScore: scale scores so the highest becomes
// `max`, in integers; `reverse` turns "more is worse" into a 0–max score.
import type { NodeScore } from "./interface.ts";
import { MAX_NODE_SCORE } from "./interface.ts";

export function defaultNormalizeScore(scores: NodeScore[], reverse: boolean, max = MAX_NODE_SCORE): void {
  let highest = 0;
  for (const s of scores) if (s.score > highest) highest = s.score;
  if (highest === 0) {
    if (reverse) for (const s of scores) s.score = max;
    return;
  }
  for (const s of scores) {
    const scaled = Math.trunc((max * s.score) / highest);
    s.score = reverse ? max - scaled : scaled;
  }
}
