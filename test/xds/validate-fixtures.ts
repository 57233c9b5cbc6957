// A small test-only proto package (kxds.test.v1) added to the Envoy root, for protoc-gen-validate rules that
// no Envoy type kxds loads happens to use (exclusive ranges, timestamps, map values, skip, disabled, ...).
import * as protobuf from 'protobufjs';
import { envoyRoot } from '../../src/xds/protos';

const FIXTURES_PROTO = `
syntax = "proto3";
package kxds.test.v1;
import "google/protobuf/any.proto";
import "google/protobuf/duration.proto";
import "google/protobuf/timestamp.proto";
import "google/protobuf/wrappers.proto";

enum Color { COLOR_UNSET = 0; RED = 1; GREEN = 2; BLUE = 3; PURPLE = 4 [deprecated = true]; }

message Leaf { string id = 1 [(validate.rules).string = {min_len: 1}]; }

message Scalars {
  string text = 1 [(validate.rules).string = {prefix: "ab", suffix: "yz", contains: "m", len: 5, ignore_empty: true}];
  string word = 2 [(validate.rules).string = {not_in: ["bad", "worse"], not_contains: "!", max_len: 6}];
  string host = 3 [(validate.rules).string = {hostname: true, ignore_empty: true}];
  string ip = 4 [(validate.rules).string = {ip: true, ignore_empty: true}];
  string addr = 5 [(validate.rules).string = {address: true, ignore_empty: true}];
  string ipv6 = 6 [(validate.rules).string = {ipv6: true, ignore_empty: true}];
  string email = 7 [(validate.rules).string = {email: true, ignore_empty: true}];
  string uuid = 8 [(validate.rules).string = {uuid: true, ignore_empty: true}];
  string uri = 9 [(validate.rules).string = {uri: true, ignore_empty: true}];
  string const_text = 10 [(validate.rules).string = {const: "fixed", ignore_empty: true}];
  string bytes_text = 11 [(validate.rules).string = {min_bytes: 2, max_bytes: 4, ignore_empty: true}];
  int32 outside = 20 [(validate.rules).int32 = {lt: 10, gt: 20}];
  sint64 inside = 21 [(validate.rules).sint64 = {gte: -5, lte: 5}];
  uint32 picked = 22 [(validate.rules).uint32 = {in: [1, 2, 3], ignore_empty: true}];
  fixed64 fixed = 23 [(validate.rules).fixed64 = {const: 7, ignore_empty: true}];
  float ratio = 24 [(validate.rules).float = {gt: 0, lt: 1, ignore_empty: true}];
  int64 avoided = 25 [(validate.rules).int64 = {not_in: [13]}];
  bytes blob = 30 [(validate.rules).bytes = {min_len: 1, max_len: 4, ignore_empty: true}];
  bytes ip4 = 31 [(validate.rules).bytes = {ipv4: true, ignore_empty: true}];
  Color color = 40 [(validate.rules).enum = {in: [0, 1, 2]}];
  Color not_blue = 41 [(validate.rules).enum = {not_in: [3]}];
  Color only_red = 42 [(validate.rules).enum = {const: 1, defined_only: true}];
  optional uint32 maybe = 50 [(validate.rules).uint32 = {gt: 100}];
}

message Containers {
  map<string, Leaf> leaves = 1 [(validate.rules).map = {min_pairs: 1, max_pairs: 2, no_sparse: true, keys: {string: {prefix: "k"}}}];
  map<uint32, string> by_number = 2 [(validate.rules).map = {keys: {uint32: {lte: 10}}, values: {string: {min_len: 2}}}];
  repeated int32 numbers = 3 [(validate.rules).repeated = {unique: true, max_items: 3, items: {int32: {gte: 0}}}];
  repeated Leaf list = 4 [(validate.rules).repeated = {ignore_empty: true, min_items: 2}];
  repeated Color colors = 5 [(validate.rules).repeated = {items: {enum: {defined_only: true}}}];
}

message Messages {
  Leaf skipped = 1 [(validate.rules).message = {skip: true}];
  Leaf checked = 2;
  google.protobuf.Any any = 3 [(validate.rules).any = {required: true, in: ["type.googleapis.com/kxds.test.v1.Leaf", "type.googleapis.com/kxds.test.v1.Scalars"]}];
  google.protobuf.Any not_leaf = 4 [(validate.rules).any = {not_in: ["type.googleapis.com/kxds.test.v1.Leaf"]}];
  google.protobuf.Timestamp past = 5 [(validate.rules).timestamp = {lt_now: true}];
  google.protobuf.Timestamp after_2020 = 6 [(validate.rules).timestamp = {gt: {seconds: 1577836800}}];
  google.protobuf.Duration exact = 7 [(validate.rules).duration = {in: {seconds: 1}}];
  google.protobuf.Duration never_five = 8 [(validate.rules).duration = {not_in: {seconds: 5}, lt: {seconds: 10}}];
  google.protobuf.StringValue wrapped = 9 [(validate.rules).string = {min_len: 3}];
  google.protobuf.BoolValue must_true = 10 [(validate.rules).bool = {const: true}];
  oneof choice {
    option (validate.required) = true;
    string a = 11;
    uint32 b = 12 [(validate.rules).uint32 = {gt: 0}];
  }
}

message Disabled {
  option (validate.disabled) = true;
  string name = 1 [(validate.rules).string = {min_len: 1}];
  oneof must { option (validate.required) = true; string x = 2; string y = 3; }
}
`;

let loaded = false;

/** Adds the kxds.test.v1 fixtures to the shared Envoy root (once per test process). */
export function loadValidateFixtures(): void {
  if (loaded) return;
  const root = envoyRoot();
  protobuf.parse(FIXTURES_PROTO, root, { keepCase: true });
  root.resolveAll();
  loaded = true;
}
