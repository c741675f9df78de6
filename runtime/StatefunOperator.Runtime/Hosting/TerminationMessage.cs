using System.Text;

namespace StatefunOperator.Runtime.Hosting;

/// <summary>
/// Why the runtime exits, written where Kubernetes reads a container's termination message
/// (<c>terminationMessagePath</c>, <c>/dev/termination-log</c> by default; <see cref="PathVariable"/> names another):
/// the pod's status then says it, and the operator shows it in the resource's Ready condition. Outside a pod the
/// file does not exist and nothing is written; a write that fails is ignored (the log says it too).
/// </summary>
public static class TerminationMessage
{
    public const string PathVariable = "STATEFUN_TERMINATION_MESSAGE_PATH";
    public const string DefaultPath = "/dev/termination-log";

    /// <summary>The kubelet reads at most 4,096 bytes.</summary>
    public const int MaxBytes = 4_096;

    public static void Write(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var path = Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured ? configured : DefaultPath;
        if (!File.Exists(path))
        {
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(message);
        if (bytes.Length > MaxBytes)
        {
            // The end says most: keep it, from the start of a whole character.
            var start = bytes.Length - (MaxBytes - 3);
            while (start < bytes.Length && (bytes[start] & 0xC0) == 0x80)
            {
                start++;
            }

            bytes = [.. "..."u8, .. bytes.AsSpan(start)];
        }

        try
        {
            File.WriteAllBytes(path, bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the log holds the same.
        }
    }
}
