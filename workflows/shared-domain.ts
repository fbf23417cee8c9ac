/**
 * What every workflow in a worker shares instead of evaluating for itself (issue 19). The SDK gives each workflow
 * a module cache of its own, so every module a workflow imports was evaluated again for it, zod, xstate and luxon
 * included: ~1.2 MiB of heap per cached workflow for module code alone (docs/performance.md). The worker preloads
 * this module (worker/workflow-code.ts): what it imports is evaluated once, before any workflow, and the SDK then
 * freezes what those modules export.
 *
 * Shared: the libraries, and the domain modules that are pure (DESIGN.md: no I/O, nothing kept between calls) and
 * build no zod schema. Not shared: the modules that build schemas (domain/fields.ts and those importing it). zod 4
 * completes a schema on its first reads and parses (bound methods, derived internals, its memoizer rewriting
 * `_zod.parse`), which a frozen schema refuses; they stay per workflow, built on the shared zod.
 * test/workflow-code.test.ts lists what a workflow still evaluates for itself.
 */
import { z } from 'zod';
import 'luxon';
import 'xstate';
import '../domain/calendar';
import '../domain/case-ids';
import '../domain/documents';
import '../domain/iin';
import '../domain/lifecycle';
import '../domain/search-attributes';
import '../domain/service';

// zod completes its global config (the default locale, the memoizer) as it builds its first schemas, which would
// be in a workflow, after the freeze; building one here completes it before.
z.object({ settled: z.string().min(1), at: z.iso.datetime() }).optional();
