using System.Diagnostics;

namespace StatefunOperator.Testing.Functions;

/// <summary>
/// Starts a function server as a child process, copies its output to a log file, and returns once it prints a line
/// starting with "listening" (or fails with where its log is, if it exits or takes longer than the timeout).
/// </summary>
public static class ListeningProcess
{
    public static async Task<Process> StartAsync(ProcessStartInfo start, string logPath, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{what} did not start");
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var gate = new Lock();
        void Write(string? line)
        {
            if (line is null)
            {
                return;
            }

            if (line.StartsWith("listening", StringComparison.Ordinal))
            {
                listening.TrySetResult();
            }

            lock (gate)
            {
                log.WriteLine(line);
            }
        }

        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"{what} exited with code {process.ExitCode}; see {logPath}"));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await listening.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
            throw;
        }

        return process;
    }
}
