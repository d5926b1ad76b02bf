package io.kk.host;

/** Whether an upload moved bytes or found the same file already there. */
public enum UploadResult {
    UPLOADED,
    UNCHANGED
}
