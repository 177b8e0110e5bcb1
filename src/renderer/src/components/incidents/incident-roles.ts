// Who may do what with an incident, as the contract says (the core refuses anyway): the UI disables what the
// signed-in role may not do and says who may.
import { INCIDENT_CLOSE_ROLES } from '../../../../shared/contract/incidents.ts';
import { RESPONDER_ROLES, type Role } from '../../../../shared/domain.ts';

export const canWorkIncident = (role: Role | undefined): boolean => Boolean(role && (RESPONDER_ROLES as readonly Role[]).includes(role));
export const canCloseIncident = (role: Role | undefined): boolean => Boolean(role && (INCIDENT_CLOSE_ROLES as readonly Role[]).includes(role));
