import { assertNever, type Decider } from '../decider';
import { evolveLicensee, initialLicensee, type LicenseeState, type LicenseeStreamEvent } from './licensee.state';
import {
  decideReclaim,
  decideReclaimOutcome,
  type ReclaimSubscription,
  type RecordReclaimOutcome,
} from './reclaim-subscription';
import { decideReclamationStep, type ReclamationStep } from './reclamation-steps';
import { decideSubscriptionSnapshot, type RecordSubscriptionSnapshot } from './record-subscription-snapshot';
import { decideUserActivity, type RecordUserActivity } from './record-user-activity';

export type LicenseeCommand =
  RecordSubscriptionSnapshot | RecordUserActivity | ReclaimSubscription | RecordReclaimOutcome | ReclamationStep;

/**
 * One user of a profile (`licensee-{profileId}.{userId}`): what Graph says they hold, what
 * the audit log says they did, and the reclamations of their licenses, decided against one
 * stream so that one expected revision orders everything that happens to that user. Each
 * command's rule is in its own file.
 */
export const licenseeDecider: Decider<LicenseeCommand, LicenseeStreamEvent, LicenseeState> = {
  initialState: initialLicensee,
  evolve: evolveLicensee,
  decide(command, state) {
    switch (command.type) {
      case 'RecordSubscriptionSnapshot':
        return decideSubscriptionSnapshot(command, state);
      case 'RecordUserActivity':
        return decideUserActivity(command, state);
      case 'ReclaimSubscription':
        return decideReclaim(command, state);
      case 'RecordReclaimOutcome':
        return decideReclaimOutcome(command, state);
      case 'OpenReclamation':
      case 'RecordNotification':
      case 'RequestKeep':
      case 'DecideKeep':
      case 'CancelReclamation':
        return decideReclamationStep(command, state);
      default:
        return assertNever(command);
    }
  },
};
