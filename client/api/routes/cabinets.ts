/** Routes of the `cabinets` tag: the applicant's personal cabinet (R5, R11, R13). */
import { mayReadInCabinet } from '../../../domain/authority';
import { recordRead } from '../entitlement';
import { refuse, refuseBadId, UUID } from '../refusals';
import { CabinetAnswer } from '../answers';
import { ERRORS, type ApiRoutes } from '../routing';
import { noticeView } from '../views';
import { cabinetRecords } from '../../../infra/case-store';

export function cabinetRoutes({ route, deps }: ApiRoutes): void {
  // R5, R11: the applicant's personal cabinet — every result document of every application, signed.
  route(
    {
      method: 'GET',
      url: '/cabinets/:cabinetId',
      operationId: 'getCabinet',
      summary: "The applicant's personal cabinet: every signed document of every application (R5, R11, R13)",
      tag: 'cabinets',
      scope: 'read',
      params: { cabinetId: 'the cabinet id given at submission' },
      answers: { 200: CabinetAnswer },
      responses: { 200: 'the cabinet', ...ERRORS },
    },
    async (request, reply) => {
      const { cabinetId } = request.params;
      if (!UUID.test(cabinetId)) return refuseBadId(reply, 'cabinetId', 'a cabinet id');
      // R1, R11: the applications this caller submitted for the teacher; a cabinet it holds none of is no business of its
      const applications = (await cabinetRecords(deps.store, cabinetId)).filter((a) => mayReadInCabinet(request.apiClient!, a));
      if (applications.length === 0) return refuse(reply, { code: 'not-found', field: 'cabinetId', rule: null, message: `no cabinet ${cabinetId}` });
      await recordRead(
        deps.store,
        request,
        applications.map((a) => a.id),
      );
      return {
        cabinetId,
        applications: applications.map((a) => ({
          applicationId: a.id,
          category: a.category,
          academicYear: a.academicYear,
          state: a.state,
          // R13: when the administrative (pre-trial) stage ended — what a court asks for
          preTrialCompletedAt: a.preTrialCompletedAt?.toISOString() ?? null,
          documents: a.notices.map(noticeView),
        })),
      };
    },
  );
}
