"""The greeter client on gRPC C-core (Debian python3-grpcio), for end-to-end tests of the second proxyless
client. Reads the xDS bootstrap from GRPC_XDS_BOOTSTRAP like any C-core client. Request and reply bytes are
built by hand (HelloRequest{name=1}, HelloReply{message=1, served_by=2}), so no generated code is needed.

usage: ccore_greeter.py TARGET CALLS_PER_CHANNEL [CHANNELS]
prints one JSON object: {"channels": [{"served_by": {...}, "errors": {...}, "last": {...}}, ...]} with counts
by backend and by error code, and "last": who answered (or which error) over the channel's last 30 calls
"""
import json
import sys
import time

import grpc

METHOD = "/kxds.demo.Greeter/SayHello"


def encode_request(name):
    data = name.encode()
    return b"\x0a" + bytes([len(data)]) + data


def decode_reply(data):
    fields, i = {}, 0
    while i < len(data):
        tag = data[i]
        length = data[i + 1]
        fields[tag >> 3] = data[i + 2 : i + 2 + length].decode()
        i += 2 + length
    return fields.get(2, "")


def call(stub, i):
    return decode_reply(stub(encode_request("call-%d" % i), timeout=5))


def first_reply(stub, deadline_s=15):
    """Config arrives asynchronously: the first calls may fail until the channel has it."""
    until = time.time() + deadline_s
    while True:
        try:
            return call(stub, -1)
        except grpc.RpcError:
            if time.time() > until:
                raise
            time.sleep(0.1)


def main():
    target, calls = sys.argv[1], int(sys.argv[2])
    channels = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    out = []
    for _ in range(channels):
        with grpc.insecure_channel(target) as channel:
            stub = channel.unary_unary(METHOD)
            first_reply(stub)
            served, errors, outcomes = {}, {}, []
            for i in range(calls):
                try:
                    who = call(stub, i)
                    served[who] = served.get(who, 0) + 1
                    outcomes.append(who)
                except grpc.RpcError as err:
                    code = err.code().name
                    errors[code] = errors.get(code, 0) + 1
                    outcomes.append(code)
            last = {}
            for outcome in outcomes[-30:]:
                last[outcome] = last.get(outcome, 0) + 1
            out.append({"served_by": served, "errors": errors, "last": last})
    print(json.dumps({"channels": out}))


if __name__ == "__main__":
    main()
