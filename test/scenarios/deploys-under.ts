import { api } from '../helpers/contract-request';
import { aKeystore, auth, keystoresPath } from '../helpers/world';

/** Two environments, so a scenario that fails one of them shows a partial failure. */
export const TWO_ENVIRONMENTS = [
  { environmentName: 'production', type: 'JKS', file: '/u3+7QAAAAIAAAAB' },
  { environmentName: 'staging', type: 'JKS', file: '/u3+7QAAAAIAAAAB' },
];

let created = 0;

/**
 * Creates a keystore of a fresh name under a scenario chosen by header (or none), in a session,
 * and returns the deployment's success, or the error code when the create is refused.
 *
 * @example
 * await deploysUnder(app, 'staging-down', 'team-a'); // false
 */
export async function deploysUnder(
  target: Parameters<typeof api>[0],
  scenario: string | undefined,
  session = 'default',
): Promise<unknown> {
  const call = api(target)
    .post(keystoresPath())
    .set(auth())
    .set('X-Mock-Session', session)
    .send(aKeystore({ name: `ks-${(created += 1)}`, keyStoreEnvironmentList: TWO_ENVIRONMENTS }));
  const res = await (scenario === undefined ? call : call.set('X-Mock-Scenario', scenario));
  return res.status === 200 ? res.body.deploymentResult.success : res.body.error;
}
