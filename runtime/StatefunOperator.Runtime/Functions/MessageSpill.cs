using System.Buffers.Binary;
using Google.Protobuf;
using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.Functions;

/// <summary>
/// One address's waiting messages beyond its in-memory bound, in a file on the pod's local disk, first in first out:
/// appended at the end, read from the front, the file deleted once read to its end. Durability is not its job (a
/// function host spills only messages whose pending changelog entries were written already); memory is. Each record
/// is a 17-byte header (flags, partition, offset, length) and the message as an <see cref="Envelope"/>. Not thread-safe:
/// the dispatcher uses it under its lock. The file is opened per append and per read, so that thousands of spilling
/// addresses hold no file handles.
/// </summary>
internal sealed class MessageSpill : IDisposable
{
    private const int HeaderBytes = 17;
    private const byte HasOrigin = 1;
    private const byte WasPersisted = 2;
    private readonly string _path;
    private long _readPosition;

    public MessageSpill(string directory)
    {
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, Guid.NewGuid().ToString("N") + ".spill");
    }

    /// <summary>Messages in the file not read yet.</summary>
    public int Count { get; private set; }

    /// <summary>Argument bytes of those messages (what <see cref="PendingInvocation.Bytes"/> counts).</summary>
    public long Bytes { get; private set; }

    /// <summary>Bytes of the file not read yet (headers and envelopes): what the messages take on disk.</summary>
    public long FileBytes { get; private set; }

    /// <summary>Appends the messages after those in the file.</summary>
    public void Append(IReadOnlyList<PendingInvocation> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return;
        }

        using var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.None, 64 * 1024);
        Span<byte> header = stackalloc byte[HeaderBytes];
        foreach (var message in messages)
        {
            var envelope = message.ToEnvelope();
            header[0] = (byte)((message.Origin is null ? 0 : HasOrigin) | (message.Persisted ? WasPersisted : 0));
            BinaryPrimitives.WriteInt32LittleEndian(header[1..], message.Origin?.Partition ?? 0);
            BinaryPrimitives.WriteInt64LittleEndian(header[5..], message.Origin?.Offset ?? 0);
            var size = envelope.CalculateSize();
            BinaryPrimitives.WriteInt32LittleEndian(header[13..], size);
            file.Write(header);
            envelope.WriteTo(file);
            FileBytes += HeaderBytes + size;
            Count++;
            Bytes += message.Bytes;
        }
    }

    /// <summary>Takes up to <paramref name="max"/> messages from the front, in the order they were appended.</summary>
    public List<PendingInvocation> Take(int max)
    {
        var taken = new List<PendingInvocation>(Math.Min(max, Count));
        if (Count == 0 || max <= 0)
        {
            return taken;
        }

        using (var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.None, 64 * 1024))
        {
            file.Position = _readPosition;
            var header = new byte[HeaderBytes];
            while (taken.Count < max && Count > 0)
            {
                file.ReadExactly(header);
                var length = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(13));
                var body = new byte[length];
                file.ReadExactly(body);
                FileBytes -= HeaderBytes + length;
                var envelope = Envelope.Parser.ParseFrom(body);
                InboxPosition? origin = (header[0] & HasOrigin) != 0
                    ? new InboxPosition(BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(1)), BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(5)))
                    : null;
                var message = PendingInvocation.FromEnvelope(envelope, origin);
                message.Persisted = (header[0] & WasPersisted) != 0;
                taken.Add(message);
                Count--;
                Bytes -= message.Bytes;
            }

            _readPosition = file.Position;
        }

        if (Count == 0)
        {
            Clear();
        }

        return taken;
    }

    /// <summary>Forgets every message in the file and deletes it.</summary>
    public void Clear()
    {
        Count = 0;
        Bytes = 0;
        FileBytes = 0;
        _readPosition = 0;
        File.Delete(_path);
    }

    public void Dispose() => Clear();
}
