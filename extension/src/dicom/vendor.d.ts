// Minimal typings of libraries that ship none: dcmjs 0.51 (the parts the DICOM adapters use) and
// jpeg-lossless-decoder-js.
declare module 'dcmjs' {
  type Dataset = Record<string, unknown>;
  interface DicomDictInstance {
    dict: Dataset;
    meta: Dataset;
    write(options?: { allowInvalidVRLength?: boolean }): ArrayBuffer;
  }
  const data: {
    DicomMessage: {
      readFile(buffer: ArrayBuffer, options?: Record<string, unknown>): DicomDictInstance;
    };
    DicomDict: new (meta: Dataset) => DicomDictInstance;
    ValueRepresentation: {
      createByTypeString(vr: string): { convertToString(value: number): string };
    };
    DicomMetaDictionary: {
      naturalizeDataset(dataset: Dataset): Dataset;
      denaturalizeDataset(dataset: Dataset): Dataset;
      nameMap: Record<string, { vr: string } | undefined>;
      uid(): string;
      date(): string;
      time(): string;
    };
  };
  const dcmjs: { data: typeof data };
  export default dcmjs;
  export { data };
}

// jpeg-lossless-decoder-js 2.1 names `release/lossless.d.ts` in package.json but does not ship it.
declare module 'jpeg-lossless-decoder-js' {
  export class Decoder {
    decode(
      buffer: ArrayBuffer,
      offset?: number,
      length?: number,
      numBytes?: number,
    ): Uint8Array | Uint16Array;
  }
}

// xhr2 0.2 (an XMLHttpRequest for Node, used by dicomweb-client there) ships no types.
declare module 'xhr2' {
  const XMLHttpRequestImpl: typeof XMLHttpRequest;
  export default XMLHttpRequestImpl;
}
