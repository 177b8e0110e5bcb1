// The plans the console knows: the shipped ones (resources/plans) and those a coordinator imported (data folder
// plans/), each parsed and checked against the site; a plan that does not validate is listed with its problems
// and cannot be started. PLACEHOLDER: the plan-format owner replaces the body, keeping these signatures.
import type { Plan, PlanProblem, PlanSummary } from '../../../shared/drills.ts';
import type { Person } from '../../../shared/domain.ts';
import type { SiteModel } from '../site/site-model.ts';
import { ApiError } from '../calls.ts';

export interface PlanLibraryDeps {
  site: SiteModel;
  /** resources/plans of the app. */
  shippedDir: string;
  /** <dataDir>/plans: imported plans. */
  importedDir: string;
  /** The site's response folder (units.json, sops.json). */
  siteDir: string;
  log: (line: string) => void;
}

export class PlanLibrary {
  constructor(private readonly deps: PlanLibraryDeps) {}

  async load(): Promise<void> {
    void this.deps;
  }

  list(): PlanSummary[] {
    return [];
  }

  /** A plan that validates; not-found for an unknown id, conflict (reason plan-invalid) for one with problems. */
  get(id: string): Plan {
    throw new ApiError('not-found', `no plan ${id}`);
  }

  validate(_file: string, _text: string): { plan: PlanSummary | null; problems: PlanProblem[] } {
    throw new ApiError('unavailable', 'plans are not checked yet');
  }

  async import(_file: string, _text: string, _by: Person): Promise<{ plan: PlanSummary | null; problems: PlanProblem[] }> {
    throw new ApiError('unavailable', 'plans are not imported yet');
  }
}
