using k8s;
using Microsoft.Extensions.Logging;
using StatefunOperator.Crds.Schema;
using StatefunOperator.Operator.Hosting;

CommandLine commandLine;
try
{
    commandLine = CommandLine.Parse(args);
}
catch (ArgumentException exception)
{
    await Console.Error.WriteLineAsync(exception.Message);
    return 2;
}

switch (commandLine.Command)
{
    case "manifests" when !System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported:
        // The schema generator reads the custom resource types' declaration order from metadata the native binary
        // does not keep; the manifests are generated at development time anyway.
        await Console.Error.WriteLineAsync("statefun-operator: the native operator cannot generate manifests; run `make manifests` (the JIT build)");
        return 2;
    case "manifests":
        var output = commandLine.Get("output") ?? Path.Combine("config", "crd", "bases");
        Directory.CreateDirectory(output);
        foreach (var (file, yaml) in CrdManifests.Render())
        {
            await File.WriteAllTextAsync(Path.Combine(output, file), yaml);
            Console.WriteLine(Path.Combine(output, file));
        }

        return 0;
    case "run":
        break;
    case "help" or "--help" or "-h":
        Console.WriteLine(CommandLine.Usage);
        return 0;
    default:
        await Console.Error.WriteLineAsync($"unknown command \"{commandLine.Command}\"\n{CommandLine.Usage}");
        return 2;
}

using var loggers = LoggerFactory.Create(builder => builder.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss.fff ";
}).SetMinimumLevel(LogLevel.Information));
var logger = loggers.CreateLogger("statefun-operator");

var options = commandLine.ToOperatorOptions();
var problems = options.Validate();
if (problems.Count > 0)
{
    await Console.Error.WriteLineAsync("statefun-operator: invalid options:\n  " + string.Join("\n  ", problems));
    return 2;
}

KubernetesJsonResolver.UseForKubernetesClient();
KubernetesClientConfiguration configuration;
try
{
    configuration = KubernetesClientConfiguration.IsInCluster()
        ? KubernetesClientConfiguration.InClusterConfig()
        : KubeconfigLoader.Load(commandLine.Get("kubeconfig", "KUBECONFIG"));
}
catch (Exception exception) when (exception is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException)
{
    // Outside a cluster without a kubeconfig (or in a pod without its ServiceAccount token): say which, and stop
    // with the usage status rather than an unhandled exception.
    await Console.Error.WriteLineAsync("statefun-operator: no Kubernetes API to talk to: " + exception.Message
        + (KubernetesClientConfiguration.IsInCluster() ? "" : " (not in a cluster: pass --kubeconfig PATH or set KUBECONFIG)"));
    return 2;
}

using var client = KubernetesClients.Create(configuration);
var shutdown = new CancellationTokenSource();
void Shutdown()
{
    try
    {
        shutdown.Cancel();
    }
    catch (ObjectDisposedException)
    {
        // Already past the end of Main.
    }
}

Console.CancelKeyPress += (_, eventArgs) =>
{
    eventArgs.Cancel = true;
    Shutdown();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => Shutdown();

logger.LogInformation("statefun-operator {Identity} starting against {Host} (watching {Namespaces}, runtime image {Image})",
    options.Identity, configuration.Host, options.WatchNamespaces.Count == 0 ? "all namespaces" : "namespaces " + string.Join(", ", options.WatchNamespaces), options.RuntimeImage);
var tasks = new List<Task> { new OperatorInstance(client, options, loggers).RunAsync(shutdown.Token) };
if (commandLine.Get("health-prefix", "HEALTH_PREFIX") is { } healthPrefix)
{
    tasks.Add(new HealthServer(healthPrefix, logger).RunAsync(shutdown.Token));
}

if (options.WebhookPort is { } webhookPort)
{
    tasks.AddRange(StatefunOperator.Operator.Webhook.ValidatingWebhook.Start(client, options, webhookPort, loggers.CreateLogger("StatefunOperator.Webhook"), shutdown.Token));
}

// The first to fail stops the whole process: an operator whose health endpoint could not start must not run on
// unnoticed until its liveness probe kills it without a word.
var first = await Task.WhenAny(tasks);
Shutdown();
try
{
    await first;
    await Task.WhenAll(tasks);
    return 0;
}
catch (Exception exception) when (exception is not OperationCanceledException)
{
    logger.LogCritical(exception, "statefun-operator stopped: {Message}", exception.Message);
    return 1;
}
catch (OperationCanceledException)
{
    return 0;
}
