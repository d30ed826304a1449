/**
 * The components of a unit's assessment score (年度综合考核, 000:4) and their weights: a rule of
 * the assessment, configurable per jurisdiction (ASSESSMENT_WEIGHTS), with these defaults.
 */
export const SCORE_COMPONENTS = [
  'activation',
  'timeliness',
  'monthlyActive',
  'dailyActive',
  'groups',
  'accounts',
  'apps',
] as const;
export type ScoreComponent = (typeof SCORE_COMPONENTS)[number];
export type Weights = Readonly<Record<ScoreComponent, number>>;

/** Default weights (sum 100): activation first (000:9), then timely updates (000:9, 001a:10), then use. */
export const DEFAULT_WEIGHTS: Weights = {
  activation: 30,
  timeliness: 25,
  monthlyActive: 15,
  dailyActive: 10,
  groups: 10,
  accounts: 5,
  apps: 5,
};

/** `activation=30,timeliness=25` → the weights, every component named once (unnamed ones weigh 0). */
export function parseWeights(text: string): { weights: Weights } | { problem: string } {
  const weights: Record<string, number> = Object.fromEntries(SCORE_COMPONENTS.map((k) => [k, 0]));
  for (const part of text.split(',')) {
    const [key, value] = part.split('=').map((x) => x.trim());
    if (!(SCORE_COMPONENTS as readonly string[]).includes(key))
      return {
        problem: `ASSESSMENT_WEIGHTS: unknown component ${JSON.stringify(key)}; components are ${SCORE_COMPONENTS.join(', ')}`,
      };
    weights[key] = Number(value);
  }
  if (Object.values(weights).every((w) => w === 0))
    return { problem: 'ASSESSMENT_WEIGHTS: at least one weight must be above 0' };
  return { weights: weights as Weights };
}
