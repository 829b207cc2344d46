import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { CertificateSource, EdgePeer, Mesh, MeshEngine, MeshService, RouteTarget, WeightedRoute } from '../../src';

/** Settings of the Bookinfo example. */
export interface BookinfoChartProps {
  /**
   * What runs the mesh: the only line that changes between static Envoy
   * sidecars and Istio.
   * @default MeshEngine.staticEnvoy()
   */
  readonly engine?: MeshEngine;
}

/** Istio's Bookinfo images. */
const IMAGE = (name: string) => `docker.io/istio/examples-bookinfo-${name}:1.20.2`;

/** Every Bookinfo application listens on 9080. */
const PORT = 9080;

/**
 * Istio's Bookinfo, written for the static Envoy sidecars and run on any
 * engine by changing `engine` only: productpage calls details and reviews;
 * reviews v2 and v3 call ratings, v1 does not (`fromVersions`); reviews sends
 * a third of the requests to each version.
 *
 * Every application listens on 9080, the port its upstreams have too, so on
 * static sidecars each call needs `localPort`: the sidecar's listener for
 * the upstream cannot share 9080 with the application. Other engines capture
 * calls on the upstream's own port and ignore `localPort` with a note.
 */
export class BookinfoChart extends Chart {
  /** The example's mesh. */
  public readonly mesh: Mesh;

  constructor(scope: Construct, id: string, props: BookinfoChartProps = {}) {
    super(scope, id, { namespace: 'bookinfo', disableResourceNameHashes: true });
    const mesh = this.mesh = new Mesh(this, 'mesh', {
      engine: props.engine,
      // A CA private to the mesh; on Istio, Istio's own CA takes its place (noted at synth).
      certificates: CertificateSource.selfSignedCa(),
    });

    const productpage = new MeshService(this, 'productpage', { mesh, image: IMAGE('productpage-v1'), port: PORT });
    const details = new MeshService(this, 'details', { mesh, image: IMAGE('details-v1'), port: PORT });
    const reviews = new MeshService(this, 'reviews', { mesh, image: IMAGE('reviews-v1'), port: PORT });
    reviews.addVersion('v2', { image: IMAGE('reviews-v2') });
    reviews.addVersion('v3', { image: IMAGE('reviews-v3') });
    const ratings = new MeshService(this, 'ratings', { mesh, image: IMAGE('ratings-v1'), port: PORT });

    productpage.callTo(details, { localPort: 19081 });
    productpage.callTo(reviews, { localPort: 19082 });
    reviews.callTo(ratings, { localPort: 19083, fromVersions: ['v2', 'v3'] });

    // Users reach the product page from the ingress gateway's namespace.
    productpage.exposeTo(EdgePeer.namespace('ingress'), { port: 8080 });

    new WeightedRoute(this, 'reviews-versions', {
      service: reviews,
      targets: [RouteTarget.version('v1', 34), RouteTarget.version('v2', 33), RouteTarget.version('v3', 33)],
    });
  }
}
