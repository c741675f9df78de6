namespace StatefunOperator.Runtime.Functions;

/// <summary>
/// What a dispatcher holds at one moment, read under one lock: the outstanding messages and argument bytes held in
/// memory, and the bytes its spill files take on disk (the three figures a host's <c>host.limits</c> bound).
/// </summary>
public readonly record struct BufferedLoad(long Messages, long Bytes, long SpillFileBytes);
