/**
 * A document's history as a list of versions, each stamped with the time the platform recorded
 * it. The assessment of a period reads every entity as it stood when the period closed, so a
 * closed period's figures never move when later events arrive, backdated or not.
 */
export type Version<S> = S & { readonly at: string };

function sameState(a: object, b: object): boolean {
  const { at: _at, ...left } = a as { at?: string };
  void _at;
  return JSON.stringify(left) === JSON.stringify(b);
}

/** The versions with `next` recorded at `at`: nothing new when it equals the last version; events of one instant fold into one version. */
export function withVersion<S extends object>(
  versions: ReadonlyArray<Version<S>>,
  at: string,
  next: S,
): Array<Version<S>> {
  const last = versions[versions.length - 1];
  if (last && sameState(last, next)) return versions as Array<Version<S>>;
  const version = { ...next, at } as Version<S>;
  if (last && last.at === at) return [...versions.slice(0, -1), version];
  return [...versions, version];
}

/** The version in force just before `cutoff` (exclusive), or null when the entity did not exist yet. Instants are compared as strings, so all are in `toISOString()` form (as the envelope's recordedAt is). */
export function versionAt<S>(versions: ReadonlyArray<Version<S>>, cutoff: string): Version<S> | null {
  for (let i = versions.length - 1; i >= 0; i--) if (versions[i].at < cutoff) return versions[i];
  return null;
}

/** The last version (the entity as it stands now). */
export function latest<S>(versions: ReadonlyArray<Version<S>>): Version<S> {
  return versions[versions.length - 1];
}
