import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/** Annotation of every Kubernetes object the library emits: the path of the construct that made it. */
export const CONSTRUCT_ANNOTATION = 'mesh.cdk8s.io/construct';

/**
 * Annotates the objects under `owner` with its construct path, so that
 * `kubectl get -o yaml` leads back to the code. Object metadata only: a pod
 * template annotation would restart pods whenever code moves.
 */
export function annotateConstructPaths(owner: Construct): void {
  for (const object of owner.node.findAll()) {
    if (object instanceof ApiObject) object.metadata.addAnnotation(CONSTRUCT_ANNOTATION, owner.node.path);
  }
}
