// Per-file descriptors for server reflection: every .proto file reachable from the served services (and the
// resource types they carry in Any fields) becomes one FileDescriptorProto with its real imports as
// dependencies, so a client (grpcurl, buf curl, kxds's own tests) can rebuild the exact type graph.
// Built once, on the first reflection request; the Envoy proto tree takes about a second to parse.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as protobuf from 'protobufjs';
import * as descriptor from 'protobufjs/ext/descriptor';
import type { FileDescriptorProto } from '../../generated/google/protobuf/FileDescriptorProto';
import { PROTO_INCLUDE_DIRS } from '../../xds/protos';
import {
  enumDescriptor,
  fieldDescriptor,
  messageDescriptor,
  serviceDescriptor,
  type Syntax,
} from './descriptor-convert';

const PARSE_OPTIONS: protobuf.IParseOptions = { keepCase: true, alternateCommentMode: false };
const protobufjsDir = path.dirname(require.resolve('protobufjs/package.json'));

interface ParsedFile {
  /** The import path, which is also the descriptor's name ("envoy/config/cluster/v3/cluster.proto"). */
  name: string;
  syntax: Syntax;
  package: string;
  imports: string[];
  publicImports: Set<string>;
  weakImports: Set<string>;
  /** Fully qualified names (".pkg.Name") of the file's top-level declarations, in source order. */
  declarations: string[];
  /** The file's own content, to be added to the shared root. */
  add(root: protobuf.Root): void;
}

/** Finds an import on disk the way protoc's -I list would. */
function locate(importPath: string): string | undefined {
  for (const dir of [protobufjsDir, ...PROTO_INCLUDE_DIRS]) {
    const candidate = path.join(dir, importPath);
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Top-level declarations of a namespace tree: types, enums, services, extensions (not packages). */
function topLevel(ns: protobuf.NamespaceBase, out: string[]): string[] {
  for (const nested of ns.nestedArray) {
    if (
      nested instanceof protobuf.Type ||
      nested instanceof protobuf.Enum ||
      nested instanceof protobuf.Service
    )
      out.push(nested.fullName);
    else if (nested instanceof protobuf.Field) out.push(nested.fullName);
    else if (nested instanceof protobuf.Namespace) topLevel(nested, out);
  }
  return out;
}

function parseFile(name: string): ParsedFile {
  const file = locate(name);
  // Files on disk win: @grpc/proto-loader registers a camelCase JSON copy of descriptor.proto among
  // protobufjs' common files, which would give wrong field names.
  const bundled = file ? null : protobuf.common.get(name);
  if (bundled) {
    // protobufjs carries the common well-known types as JSON; all of them are proto3 without imports.
    const own = protobuf.Root.fromJSON({ nested: bundled.nested ?? {} });
    return {
      name,
      syntax: 'proto3',
      package: 'google.protobuf',
      imports: [],
      publicImports: new Set(),
      weakImports: new Set(),
      declarations: topLevel(own, []),
      add: (root) => root.addJSON(bundled.nested ?? {}),
    };
  }
  if (!file) throw new Error(`reflection: cannot find ${name} in the proto include folders`);
  const source = fs.readFileSync(file, 'utf8');
  const parsed = protobuf.parse(source, new protobuf.Root(), PARSE_OPTIONS);
  const publicImports = new Set<string>();
  for (const m of source.matchAll(/^\s*import\s+public\s+"([^"]+)"\s*;/gm)) if (m[1]) publicImports.add(m[1]);
  const weakImports = parsed.weakImports ?? [];
  return {
    name,
    syntax: /^\s*syntax\s*=\s*["']proto3["']/m.test(source) ? 'proto3' : 'proto2',
    package: parsed.package ?? '',
    // protobufjs lists public imports among the plain ones and weak ones apart; descriptors list both.
    imports: [...(parsed.imports ?? []), ...weakImports],
    publicImports,
    weakImports: new Set(weakImports),
    declarations: topLevel(parsed.root, []),
    add: (root) => void protobuf.parse(source, root, PARSE_OPTIONS),
  };
}

export class DescriptorIndex {
  private readonly files = new Map<string, ParsedFile>();
  private readonly encoded = new Map<string, Uint8Array>();
  /** Fully qualified symbol (no leading dot) -> file name. */
  private readonly symbols = new Map<string, string>();
  /** Extended message (no leading dot) -> extension number -> file name. */
  private readonly extensions = new Map<string, Map<number, string>>();
  readonly root = new protobuf.Root();

  /** rootFiles: import paths of the files to serve; their imports are followed. */
  constructor(rootFiles: readonly string[]) {
    const queue = [...rootFiles];
    while (queue.length > 0) {
      const name = queue.shift() as string;
      if (this.files.has(name)) continue;
      const parsed = parseFile(name);
      this.files.set(name, parsed);
      parsed.add(this.root);
      queue.push(...parsed.imports);
    }
    this.root.resolveAll();
    for (const file of this.files.values()) this.encoded.set(file.name, this.encode(file));
  }

  fileNames(): string[] {
    return [...this.files.keys()].sort();
  }

  /** The file and every file it depends on, transitively, the file itself first. */
  closure(fileName: string): Uint8Array[] | undefined {
    if (!this.files.has(fileName)) return undefined;
    const seen = new Set<string>();
    const order: string[] = [];
    const visit = (name: string): void => {
      if (seen.has(name)) return;
      seen.add(name);
      order.push(name);
      for (const dep of this.files.get(name)?.imports ?? []) visit(dep);
    };
    visit(fileName);
    return order.map((n) => this.encoded.get(n) as Uint8Array);
  }

  fileOfSymbol(symbol: string): string | undefined {
    return this.symbols.get(symbol.replace(/^\./, ''));
  }

  fileOfExtension(extendee: string, number: number): string | undefined {
    return this.extensions.get(extendee.replace(/^\./, ''))?.get(number);
  }

  /** Extension numbers known for a message, or undefined when the message is unknown. */
  extensionNumbers(extendee: string): number[] | undefined {
    const name = extendee.replace(/^\./, '');
    if (!this.symbols.has(name)) return undefined;
    return [...(this.extensions.get(name)?.keys() ?? [])].sort((a, b) => a - b);
  }

  private indexSymbol(fullName: string, file: string): void {
    this.symbols.set(fullName.replace(/^\./, ''), file);
  }

  private indexNested(obj: protobuf.ReflectionObject, file: string): void {
    this.indexSymbol(obj.fullName, file);
    if (obj instanceof protobuf.Type) {
      for (const f of obj.fieldsArray) if (!f.declaringField) this.indexSymbol(f.fullName, file);
      for (const o of obj.oneofsArray) this.indexSymbol(o.fullName, file);
      for (const nested of obj.nestedArray) this.indexNested(nested, file);
    } else if (obj instanceof protobuf.Service) {
      for (const m of obj.methodsArray) this.indexSymbol(m.fullName, file);
    } else if (obj instanceof protobuf.Enum) {
      // Enum values live in the enclosing scope, as in protoc.
      const scope = obj.parent?.fullName ?? '';
      for (const value of Object.keys(obj.values)) this.indexSymbol(`${scope}.${value}`, file);
    } else if (obj instanceof protobuf.Field && obj.extensionField?.parent) {
      const extendee = obj.extensionField.parent.fullName.replace(/^\./, '');
      let numbers = this.extensions.get(extendee);
      if (!numbers) this.extensions.set(extendee, (numbers = new Map()));
      numbers.set(obj.id, file);
    }
  }

  private encode(file: ParsedFile): Uint8Array {
    const proto: FileDescriptorProto = {
      name: file.name,
      dependency: file.imports,
      publicDependency: file.imports.flatMap((d, i) => (file.publicImports.has(d) ? [i] : [])),
      weakDependency: file.imports.flatMap((d, i) => (file.weakImports.has(d) ? [i] : [])),
      messageType: [],
      enumType: [],
      service: [],
      extension: [],
    };
    if (file.package) proto.package = file.package;
    if (file.syntax === 'proto3') proto.syntax = 'proto3';
    for (const fullName of file.declarations) {
      const obj = this.root.lookup(fullName);
      if (!obj) throw new Error(`reflection: ${fullName} of ${file.name} vanished from the root`);
      this.indexNested(obj, file.name);
      if (obj instanceof protobuf.Type) proto.messageType?.push(messageDescriptor(obj, file.syntax));
      else if (obj instanceof protobuf.Enum) proto.enumType?.push(enumDescriptor(obj));
      else if (obj instanceof protobuf.Service) proto.service?.push(serviceDescriptor(obj));
      else if (obj instanceof protobuf.Field) proto.extension?.push(fieldDescriptor(obj, file.syntax));
    }
    const type = descriptor.FileDescriptorProto;
    return type.encode(type.fromObject(proto as Record<string, unknown>)).finish();
  }
}
