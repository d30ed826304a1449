/** The assessment report as the API gives it (the fields the console shows). */
export interface UnitRow {
  readonly nodeId: string;
  readonly name: string;
  readonly depth: number;
  readonly path: string;
  readonly figures: Readonly<Record<string, number | null>>;
  readonly sources: Readonly<Record<string, string>>;
}

export interface Report {
  readonly period: { id: string; label: string; firstDay: string; lastDay: string };
  readonly units: UnitRow[];
  readonly ranking: Array<{ rank: number; nodeId: string; name: string; score: number }>;
  readonly trend: Array<{ month: string; activationRate: number | null; monthlyActiveRate: number | null }>;
}
