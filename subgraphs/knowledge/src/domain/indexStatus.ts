/** Where a document's current version is in indexing. */
export enum KnowledgeIndexStatus {
  /** Waiting to be chunked and embedded; search does not find this version yet. */
  PENDING = 'PENDING',
  INDEXED = 'INDEXED',
  /** Gave up for a reason the document's content holds (`indexError`); a new version tries again. */
  FAILED = 'FAILED',
}
