package io.kk.scan;

/** What a node's status says about it ({@code status.nodeInfo}). */
public record NodeFacts(
        String name,
        String architecture,
        String operatingSystem,
        String osImage,
        String kernelVersion,
        String kubeletVersion,
        String containerRuntimeVersion) {}
