package io.kk.config;

/** Local storage (OpenEBS local PV) base path. */
public record StorageConfig(String openebsBasePath) {}
