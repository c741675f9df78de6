using System.Diagnostics;
using System.Net;
using StatefunOperator.Runtime.Tests.Egress;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Runtime.Tests.Hosting;

/// <summary>R2: the runtime as a standalone program on a StateFun module file.</summary>
public class RuntimeHostTests
{
    [Fact]
    public async Task R2_RunsAModuleFile_AndAnswersHealthAndReadiness()
    {
        var broker = await KafkaTestBroker.GetAsync();
        var input = KafkaTestBroker.UniqueName("host-in");
        await broker.CreateTopicAsync(input, 1);
        var dir = TestScratch.Create("host-");
        var module = Path.Combine(dir.FullName, "module.yaml");
        await File.WriteAllTextAsync(module, ForwardingModule.Yaml(broker.BootstrapServers, input, input + "-out", "at-least-once", KafkaTestBroker.UniqueName("host")));
        var port = LoopbackPorts.Free();

        using var runtime = RuntimeProcess.Start(module, Path.Combine(dir.FullName, "runtime.log"), new Dictionary<string, string> { ["STATEFUN_HEALTH_URLS"] = $"http://127.0.0.1:{port}" });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var ready = await PollAsync(http, "/readyz", TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.OK, ready);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
        Assert.False(runtime.HasExited);
    }

    [Fact]
    public async Task R2_AnInvalidModule_ExitsWithCode2_NamingFieldAndValue_InItsTerminationMessageToo()
    {
        var dir = TestScratch.Create("host-");
        var module = Path.Combine(dir.FullName, "module.yaml");
        await File.WriteAllTextAsync(module, ForwardingModule.Yaml("k:9092", "in", "out", "at-least-once", "g", startup: "tomorrow"));
        // Where a pod's termination message goes (the kubelet creates the file; /dev/termination-log by default).
        var terminationLog = Path.Combine(dir.FullName, "termination-log");
        await File.WriteAllTextAsync(terminationLog, string.Empty);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment["STATEFUN_TERMINATION_MESSAGE_PATH"] = terminationLog;
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "statefun-runtime.dll"));
        start.ArgumentList.Add("--module");
        start.ArgumentList.Add(module);

        using var process = Process.Start(start)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("ingress test/mirror-in: startupPosition.type: 'tomorrow' is not a startup position", errors, StringComparison.Ordinal);
        var termination = await File.ReadAllTextAsync(terminationLog);
        Assert.StartsWith($"{module} is not a valid module: ", termination, StringComparison.Ordinal);
        Assert.Contains("ingress test/mirror-in: startupPosition.type: 'tomorrow' is not a startup position", termination, StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode?> PollAsync(HttpClient http, string path, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        HttpStatusCode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = (await http.GetAsync(new Uri(path, UriKind.Relative))).StatusCode;
                if (last == HttpStatusCode.OK)
                {
                    return last;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        return last;
    }
}
