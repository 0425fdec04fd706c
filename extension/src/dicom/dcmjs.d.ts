// Minimal typing of the parts of dcmjs 0.51 that the DICOM adapters use (dcmjs ships no types).
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
    DicomMetaDictionary: {
      naturalizeDataset(dataset: Dataset): Dataset;
      denaturalizeDataset(dataset: Dataset): Dataset;
      uid(): string;
      date(): string;
      time(): string;
    };
  };
  const dcmjs: { data: typeof data };
  export default dcmjs;
  export { data };
}
