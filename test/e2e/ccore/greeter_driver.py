# gRPC C-core (Debian python3-grpcio) as a proxyless xDS client, driven by a test over stdin/stdout: one JSON
# command per line in, one JSON answer per line out. Channels are named by the test; the bootstrap comes from
# GRPC_XDS_BOOTSTRAP_CONFIG. Commands:
#   {"op": "open", "id": "a", "target": "xds:///greeter.demo:50051"}
#   {"op": "call", "id": "a", "timeout": 4}   -> {"ok": true, "servedBy": "127.0.0.2", "seconds": 0.01}
#   {"op": "call", "id": "a", "timeout": 4, "metadata": {"x-version": "v2"}}   (request headers)
#                                             or {"ok": false, "code": "DEADLINE_EXCEEDED", "seconds": 4.0}
#   {"op": "close", "id": "a"}
# kxds.demo.Greeter/SayHello messages are encoded by hand, so no generated stubs are needed.
import json
import sys
import time

import grpc


def encode_request(name):
    raw = name.encode()
    return b"\x0a" + bytes([len(raw)]) + raw


def decode_reply(raw):
    # HelloReply: message = 1, served_by = 2 (both strings, each shorter than 128 bytes here).
    fields, i = {}, 0
    while i < len(raw):
        tag, length = raw[i], raw[i + 1]
        fields[tag >> 3] = raw[i + 2 : i + 2 + length].decode()
        i += 2 + length
    return fields


def main():
    channels = {}
    for line in sys.stdin:
        command = json.loads(line)
        op, name = command["op"], command.get("id")
        answer = {"op": op, "id": name, "ok": True}
        if op == "open":
            channels[name] = grpc.insecure_channel(command["target"])
        elif op == "close":
            channels.pop(name).close()
        elif op == "call":
            say_hello = channels[name].unary_unary(
                "/kxds.demo.Greeter/SayHello",
                request_serializer=encode_request,
                response_deserializer=decode_reply,
            )
            started = time.monotonic()
            try:
                reply = say_hello(
                    "c-core",
                    timeout=command.get("timeout", 5),
                    metadata=list(command.get("metadata", {}).items()),
                    wait_for_ready=True,
                )
                answer["servedBy"] = reply.get(2, "")
            except grpc.RpcError as err:
                answer.update(ok=False, code=err.code().name)
            answer["seconds"] = round(time.monotonic() - started, 3)
        print(json.dumps(answer), flush=True)
    for channel in channels.values():
        channel.close()


main()
