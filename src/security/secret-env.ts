import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';

/** Names of variables that hold secrets and must come from a Secret. */
const SECRET_VARIABLE = /(PASSWORD|PASSWD|PASSPHRASE|PASS$|_PWD$|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|SIGNING_?KEY|ENCRYPTION_?KEY|CREDENTIAL)/i;
/** A URL with a password in it, such as `postgres://user:pass@db:5432/app` or `jdbc:postgresql://user:pass@db/app`. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.:-]*:\/\/[^\s/:@]*:[^\s/@]+@/i;
/** A connection string with a password, such as `Server=db;User Id=app;Password=...;`. */
const CONNECTION_STRING_PASSWORD = /(^|;)\s*(password|pwd)\s*=\s*[^;\s]/i;
/** A command-line argument carrying a secret, such as `--password=...` or `--token=...`. */
const SECRET_ARGUMENT = /^--?[a-z0-9-]*(password|passwd|secret|token|api-?key)[a-z0-9-]*=./i;

/**
 * Secrets reach applications only through `secretKeyRef`: a secret-looking
 * variable, a URL with a password or a secret command-line argument with a
 * literal value is refused, and a reference to a key that a Secret defined in
 * this app does not have is refused. `findSecret` finds those Secrets (one
 * lookup may serve every workload of a validation).
 */
export function validateSecretEnv(deployment: kplus.Workload, findSecret: SecretLookup = secretLookup()): string[] {
  const errors: string[] = [];
  for (const container of deployment.containers) {
    for (const [name, value] of Object.entries(container.env.variables)) {
      const ref = value.valueFrom?.secretKeyRef;
      const literal = value.value;
      if (literal !== undefined && (SECRET_VARIABLE.test(name) || URL_WITH_PASSWORD.test(literal) || CONNECTION_STRING_PASSWORD.test(literal))) {
        errors.push(`container '${container.name}' variable ${name} holds a literal secret, which would be stored in plain text in the Deployment: put it in a Secret and use kplus.EnvValue.fromSecretValue(...)`);
      } else if (ref) {
        const secret = findSecret(deployment, ref.name);
        if (secret && secret.getStringData(ref.key) === undefined) {
          errors.push(`container '${container.name}' variable ${name} references key '${ref.key}' of Secret '${ref.name}', which defines no such key`);
        }
      }
    }
    for (const arg of [...container.args ?? [], ...container.command ?? []]) {
      const fromVariable = /=\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(arg); // Kubernetes expands $(VAR) from the environment
      if ((SECRET_ARGUMENT.test(arg) && !fromVariable) || URL_WITH_PASSWORD.test(arg)) {
        errors.push(`container '${container.name}' argument '${arg.replace(/=.*/, '=...').replace(/:[^/:@]+@/, ':...@')}' holds a literal secret, visible to anyone who can read the Deployment: `
          + 'read it from a variable set with kplus.EnvValue.fromSecretValue(...) instead, for example --password=$(DB_PASSWORD)');
      }
    }
  }
  return errors;
}

/** The Secret of a name defined in the chart of a workload, if any. */
export type SecretLookup = (workload: kplus.Workload, name: string) => kplus.Secret | undefined;

/**
 * A lookup of Secrets that walks each chart's constructs once, at its first
 * question (the first Secret of each name in tree order): one lookup serves
 * every workload of one validation, instead of a walk of the whole chart per
 * variable that references a Secret.
 */
export function secretLookup(): SecretLookup {
  const byChart = new Map<Chart, Map<string, kplus.Secret>>();
  return (workload, name) => {
    const chart = Chart.of(workload);
    let secrets = byChart.get(chart);
    if (!secrets) {
      secrets = new Map();
      for (const c of chart.node.findAll()) {
        if (c instanceof kplus.Secret && !secrets.has(c.name)) secrets.set(c.name, c);
      }
      byChart.set(chart, secrets);
    }
    return secrets.get(name);
  };
}
