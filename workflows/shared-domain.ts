/**
 * What every workflow in a worker shares instead of evaluating for itself (issue 19). The SDK gives each workflow
 * a module cache of its own, so every module a workflow imports was evaluated again for it, zod, xstate and luxon
 * included: ~1.2 MiB of heap per cached workflow for module code alone (docs/performance.md). The worker preloads
 * this module (worker/workflow-code.ts): what it imports is evaluated once, before any workflow, and the SDK then
 * freezes what those modules export. `domain/` may be shared because it is pure by rule (DESIGN.md): no I/O,
 * nothing kept between calls that could change a result (xstate's one module-level counter names the throwaway
 * actors of `transition()`, and the machines spawn, invoke and delay nothing, so no name reaches a command; the
 * calendar's memo of each year's statutory days is frozen and the same whichever workflow built it). Its schemas
 * are exported behind functions (domain/fields.ts `schemaOnce`): zod completes a schema on its first reads and
 * parses, which a frozen one refuses.
 *
 * A domain module the workflows import and this list lacks still works, evaluated per workflow as before;
 * test/workflow-code.test.ts fails until it is listed.
 */
import { z } from 'zod';
import '../domain/admissibility';
import '../domain/admission';
import '../domain/application';
import '../domain/calendar';
import '../domain/calendar-data';
import '../domain/campaign';
import '../domain/case-ids';
import '../domain/case-status';
import '../domain/complaint';
import '../domain/custody';
import '../domain/documents';
import '../domain/fields';
import '../domain/guards';
import '../domain/identity';
import '../domain/iin';
import '../domain/lifecycle';
import '../domain/notices';
import '../domain/refusals';
import '../domain/retention';
import '../domain/search-attributes';
import '../domain/service';
import '../domain/standards';

// zod completes its global config (the default locale, the memoizer) as it builds its first schemas, which would
// be in a workflow, after the freeze, since the domain builds its schemas on first use; building one here
// completes it before.
z.object({ settled: z.string().min(1), at: z.iso.datetime() }).optional();
