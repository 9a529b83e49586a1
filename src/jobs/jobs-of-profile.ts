import type { JobName } from '../domain/jobs/job.events';
import type { ExistingProfile } from '../profiles/profile.view';

/** The brief's scheduled jobs: subscriptions always; activity only while the profile downloads it. */
export function jobsOf(profile: Pick<ExistingProfile, 'downloadActivity'>): JobName[] {
  return profile.downloadActivity ? ['download-subscriptions', 'refresh-activity'] : ['download-subscriptions'];
}

/** The next daily run at hh:mm UTC: today's (now, if its time has passed) until today's slot is taken, then tomorrow's. */
export function nextDailyRun(now: Date, at: { hour: number; minute: number }, lastSlot: string | null): Date {
  const todayAt = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), at.hour, at.minute);
  const todaySlot = new Date(todayAt).toISOString().slice(0, 10);
  if ((lastSlot ?? '') >= todaySlot) return new Date(todayAt + 24 * 3600_000);
  return new Date(Math.max(todayAt, now.getTime()));
}
