/** What a standard allows: whether it takes a submission on its channel, place and hours (R2, R3, R7, R11). */
import { DateTime } from 'luxon';
import { refusal, type Refusal } from '../refusals';
import { ZONE, formatInstant, type WorkingCalendar } from '../calendar';
import { CHANNELS, type Category, type Channel } from '../service';
import type { Clock, ServicePlace, StandardProfile } from './profiles';

/** What a submission must say for the standard to take it. */
export interface Intake {
  category: Category;
  channel: Channel;
  submittedAt: string;
  serviceLocality?: 'provider-locality' | 'elsewhere';
  homeVisit?: boolean;
}

/**
 * Why a well-formed submission cannot be taken under a standard (R2, R3, R7, R11), or null. The calendar is
 * needed for in-person intake: places are closed on holidays and other days off.
 */
export function intakeRefusal(standard: StandardProfile, intake: Intake, calendar: WorkingCalendar, since?: string | null): Refusal | null {
  const refuse = (field: string, rule: string, message: string): Refusal => refusal(field, rule, message);
  const rules = standard.channels[intake.channel];
  const offered = Object.keys(standard.channels).join(', ');
  if (!rules) {
    const inForce = since ? ` in force since ${formatInstant(new Date(since))}` : '';
    return refuse('channel', 'R2', `the ${intake.channel} channel is not offered under ${standard.title}${inForce}; its channels are ${offered}`);
  }
  if (!rules.categories.includes(intake.category)) {
    const serving = CHANNELS.find((c) => standard.channels[c]?.categories.includes(intake.category));
    return refuse('channel', 'R2', `category ${intake.category} is served through the ${serving} channel, not ${intake.channel}`);
  }
  if (rules.term.kind === 'working-days-by-locality' && !intake.serviceLocality) {
    return {
      code: 'against-standard',
      field: 'serviceLocality',
      rule: 'R3',
      message: `serviceLocality is required for the ${intake.channel} channel: provider-locality (${rules.term.providerLocality} working days) or elsewhere (${rules.term.elsewhere}) (R3)`,
    };
  }
  if (rules.term.kind !== 'working-days-by-locality' && intake.serviceLocality) {
    return refuse('serviceLocality', 'R3', `serviceLocality applies only to the State Corporation channel, not ${intake.channel}`);
  }
  if (intake.homeVisit && !rules.homeVisits) {
    const visiting = CHANNELS.filter((c) => standard.channels[c]?.homeVisits);
    return refuse(
      'homeVisit',
      'R11',
      visiting.length
        ? `under ${standard.title}, home visits are made only through the ${visiting.join(', ')} channel, not ${intake.channel}`
        : `there are no home visits under ${standard.title}`,
    );
  }
  if (rules.intake !== 'around-the-clock' && !isOpen(rules.intake, new Date(intake.submittedAt), calendar)) {
    return refuse(
      'submittedAt',
      'R7',
      `${rules.intake.name} takes applications ${rules.intake.hoursInWords} (R7); this one is dated ${formatInstant(new Date(intake.submittedAt))}`,
    );
  }
  return null;
}

/** Whether a standard takes applications through a channel in person, at a place with its hours (R7). */
export function takenInPerson(standard: StandardProfile, channel: Channel): boolean {
  const intake = standard.channels[channel]?.intake;
  return intake !== undefined && intake !== 'around-the-clock';
}

/** Whether a place takes applications at an instant (R7). */
export function isOpen(place: ServicePlace, at: Date, calendar: WorkingCalendar): boolean {
  const local = DateTime.fromJSDate(at, { zone: ZONE });
  // The calendar's special days decide first: a holiday or a day off closes every place, an ordered working day
  // opens it; otherwise the place's own week (the State Corporation's includes Saturday).
  const special = calendar.dayOf(local.toISODate()!);
  if (!(special ? special.working : place.weekdays.includes(local.weekday))) return false;
  const minutes = local.hour * 60 + local.minute;
  const m = (clock: Clock) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
  if (minutes < m(place.opens) || minutes >= m(place.closes)) return false;
  return !place.breaks.some((b) => minutes >= m(b.from) && minutes < m(b.to));
}
