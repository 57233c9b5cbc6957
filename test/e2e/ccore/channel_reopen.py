# gRPC C-core (Debian python3-grpcio) as a proxyless xDS client: one channel keeps the process's xDS client
# and its ADS stream up while a second channel to another target is opened, used, closed and opened again.
# Prints one JSON line with the reopened channel's first-call time; exits 1 if that call fails.
# Usage: channel_reopen.py KEEPER_TARGET TARGET DEADLINE_S   (bootstrap in GRPC_XDS_BOOTSTRAP_CONFIG)
import json
import sys
import time

import grpc


def say_hello(channel, timeout):
    # kxds.demo.Greeter/SayHello with HelloRequest{name: "c-core"} encoded by hand: no generated stubs needed.
    name = b"c-core"
    call = channel.unary_unary(
        "/kxds.demo.Greeter/SayHello",
        request_serializer=lambda _: b"\x0a" + bytes([len(name)]) + name,
        response_deserializer=lambda raw: raw,
    )
    return call(None, timeout=timeout, wait_for_ready=True)


def main():
    keeper_target, target, deadline = sys.argv[1], sys.argv[2], float(sys.argv[3])
    keeper = grpc.insecure_channel(keeper_target)
    say_hello(keeper, 15)
    first = grpc.insecure_channel(target)
    say_hello(first, 15)
    first.close()
    time.sleep(0.5)  # let the unsubscription reach the server
    again = grpc.insecure_channel(target)
    started = time.monotonic()
    try:
        say_hello(again, deadline)
        ok = True
    except grpc.RpcError as err:
        ok = False
        print(json.dumps({"error": str(err.code())}), file=sys.stderr)
    print(json.dumps({"ok": ok, "reopenedFirstCallS": round(time.monotonic() - started, 3)}))
    again.close()
    keeper.close()
    sys.exit(0 if ok else 1)


main()
