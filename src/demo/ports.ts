// Where the demo's greeter backends listen, apart from the backends themselves (which load gRPC) so that
// `kxds serve` can plan its listeners, and print its help, without loading them.

export const DEMO_BACKENDS = ['127.0.0.2', '127.0.0.3'];
export const DEMO_BACKEND_PORT = 50061;
