import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';

/** Names of variables that hold secrets and must come from a Secret. */
const SECRET_VARIABLE = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

/**
 * Secrets reach applications only through `secretKeyRef`: a secret-looking
 * variable with a literal value is refused, and a reference to a key that a
 * Secret defined in this app does not have is refused.
 */
export function validateSecretEnv(deployment: kplus.Deployment): string[] {
  const errors: string[] = [];
  for (const container of deployment.containers) {
    for (const [name, value] of Object.entries(container.env.variables)) {
      const ref = value.valueFrom?.secretKeyRef;
      if (value.value !== undefined && SECRET_VARIABLE.test(name)) {
        errors.push(`container '${container.name}' variable ${name} holds a literal value, which would be stored in plain text in the Deployment: put it in a Secret and use kplus.EnvValue.fromSecretValue(...)`);
      } else if (ref) {
        const secret = Chart.of(deployment).node.findAll().find((c): c is kplus.Secret => c instanceof kplus.Secret && c.name === ref.name);
        if (secret && secret.getStringData(ref.key) === undefined) {
          errors.push(`container '${container.name}' variable ${name} references key '${ref.key}' of Secret '${ref.name}', which defines no such key`);
        }
      }
    }
  }
  return errors;
}
