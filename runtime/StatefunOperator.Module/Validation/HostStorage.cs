using System.Text.RegularExpressions;
using StatefunOperator.Module.Formats;
using StatefunOperator.Module.Model;

namespace StatefunOperator.Module.Validation;

/// <summary>
/// A function host's effective storage (see <see cref="HostStorageDefinition"/>), validated and defaulted here only: the
/// operator renders the volume from it, the runtime sizes its stores' memory from it.
/// </summary>
public sealed partial record HostStorage(string? Size, string? StorageClassName, long MemoryBytes)
{
    /// <summary>8 MiB: below it the stores' memtables alone would not fit.</summary>
    public const long MinMemoryBytes = 8L << 20;

    /// <summary>No volume (the pod's emptyDir), 64 MiB of memory.</summary>
    public static readonly HostStorage Default = new(null, null, 64L << 20);

    /// <summary>Problems of <c>host.storage</c>, for the values it has.</summary>
    internal static void Validate(HostStorageDefinition storage, ProblemCollector problems)
    {
        if (storage.Size is { } size && !ByteSize.TryParse(size, out _))
        {
            problems.Add("host.storage.size", $"'{size}' is not a positive amount of bytes as Kubernetes writes it (e.g. 10Gi, 500Mi)");
        }

        if (storage.StorageClassName is { } storageClass && !StorageClassPattern().IsMatch(storageClass))
        {
            problems.Add("host.storage.storageClassName", $"'{storageClass}' is not a StorageClass name (lowercase letters, digits, '-' and '.', at most 253)");
        }

        if (storage.StorageClassName is not null && storage.Size is null)
        {
            problems.Add("host.storage.storageClassName", "is set without host.storage.size: say how large the volume is, or leave both out for the pod's emptyDir");
        }

        if (storage.Memory is { } memory && !(ByteSize.TryParse(memory, out var bytes) && bytes >= MinMemoryBytes))
        {
            problems.Add("host.storage.memory", $"'{memory}' is not an amount of bytes of at least 8Mi (e.g. 64Mi, 256Mi)");
        }
    }

    /// <summary>The storage of a valid definition, defaults where it says nothing.</summary>
    internal static HostStorage Resolve(HostStorageDefinition? storage) => storage is null
        ? Default
        : new HostStorage(
            storage.Size,
            storage.StorageClassName,
            storage.Memory is { } memory && ByteSize.TryParse(memory, out var bytes) ? bytes : Default.MemoryBytes);

    [GeneratedRegex("^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex StorageClassPattern();
}
