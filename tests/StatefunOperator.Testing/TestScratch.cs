using System.Globalization;

namespace StatefunOperator.Testing;

/// <summary>
/// Directories tests write to (modules, logs, the stores of the runtimes they start), all under one directory per test
/// process: <c>$TMPDIR/statefun-tests/&lt;UTC time&gt;-&lt;pid&gt;/</c>. A failed test's message names its directory,
/// so they are not deleted when the process ends: the first use in a process deletes those of earlier processes that
/// have ended, except the newest <see cref="KeptRuns"/>. Repeated test runs then keep about one run's worth of files
/// instead of filling the disk (a full <c>make test</c> writes a few GB, the stores of its function hosts). The
/// runtimes started in-process keep their stores there too: the first use sets <c>STATEFUN_STATE_DIR</c> for this
/// process when it is not set.
/// </summary>
public static class TestScratch
{
    /// <summary>Directories of ended test processes kept for reading (a <c>make test</c> runs a handful of them).</summary>
    public const int KeptRuns = 6;

    private static readonly Lazy<string> RunDirectory = new(CreateRunDirectory, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Where every test process keeps its directory.</summary>
    public static string Root => Path.Combine(Path.GetTempPath(), "statefun-tests");

    /// <summary>
    /// This process's directory, made (and the stale ones deleted) at the first call. Call it before starting a runtime
    /// in-process, so that its stores go there (<c>STATEFUN_STATE_DIR</c>).
    /// </summary>
    public static string Prepare() => RunDirectory.Value;

    /// <summary>A new, empty directory named <paramref name="prefix"/> and a random suffix, in this process's directory.</summary>
    public static DirectoryInfo Create(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        return Directory.CreateDirectory(Path.Combine(RunDirectory.Value, prefix + Guid.NewGuid().ToString("N")[..10]));
    }

    /// <summary>
    /// The directories of ended processes to delete: all but the newest <paramref name="keep"/> (by name: they start
    /// with their time). A name not ending in a process id was not made here and is left alone. Pure.
    /// </summary>
    public static IReadOnlyList<string> Stale(IEnumerable<string> runNames, Func<int, bool> processRuns, int keep)
    {
        ArgumentNullException.ThrowIfNull(runNames);
        ArgumentNullException.ThrowIfNull(processRuns);
        return [.. runNames
            .Where(name => ProcessId(name) is { } pid && !processRuns(pid))
            .OrderByDescending(name => name, StringComparer.Ordinal)
            .Skip(keep)];
    }

    private static string CreateRunDirectory()
    {
        Directory.CreateDirectory(Root);
        var runs = Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>();
        foreach (var stale in Stale(runs, Runs, KeptRuns))
        {
            try
            {
                Directory.Delete(Path.Combine(Root, stale), recursive: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Another test process deletes it too, or a file is still open: the next run tries again.
            }
        }

        var name = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyyMMdd'T'HHmmss.fff}-{Environment.ProcessId}");
        var directory = Directory.CreateDirectory(Path.Combine(Root, name)).FullName;
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("STATEFUN_STATE_DIR")))
        {
            Environment.SetEnvironmentVariable("STATEFUN_STATE_DIR", Path.Combine(directory, "state"));
        }

        return directory;
    }

    private static int? ProcessId(string runName) =>
        runName.LastIndexOf('-') is var dash and > 0 && int.TryParse(runName.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;

    private static bool Runs(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            return Directory.Exists(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}"));
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
