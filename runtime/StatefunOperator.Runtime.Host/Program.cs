using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Runtime.Host;
using StatefunOperator.Runtime.Hosting;
using StatefunOperator.Runtime.Metrics;
using StatefunOperator.Metrics.Prometheus;

// statefun-runtime --module <module.yaml> [--role all|ingress|host] [--host <namespace/name>] [--delete-host-state]: runs a StateFun
// module: its Kafka ingresses (ingress workers) and the function hosts of its endpoints (see RoleArguments).
// The module file may also be given by STATEFUN_MODULE; in a pod the operator mounts it at
// /etc/statefun/module.yaml. Health: GET /healthz (liveness) and /readyz (readiness) on
// STATEFUN_HEALTH_URLS (see HealthListenAddresses), with /metrics (Prometheus) and /status (consumer lag), served by
// a small socket server (HealthHttpServer) on the generic host: no ASP.NET Core.
var modulePath = ModulePathArgument.Resolve(args);
var options = RoleArguments.Resolve(args, out var argumentProblem);
if (argumentProblem is not null)
{
    await Console.Error.WriteLineAsync("statefun-runtime: " + argumentProblem).ConfigureAwait(false);
    TerminationMessage.Write(argumentProblem);
    return 2;
}

ModuleConfiguration module;
try
{
    module = ModuleYamlLoader.LoadFile(modulePath);
}
catch (ModuleConfigurationException e)
{
    await Console.Error.WriteLineAsync($"statefun-runtime: {modulePath} is not a valid module:").ConfigureAwait(false);
    foreach (var problem in e.Problems)
    {
        await Console.Error.WriteLineAsync("  " + problem).ConfigureAwait(false);
    }

    TerminationMessage.Write($"{modulePath} is not a valid module: {string.Join("; ", e.Problems)}");
    return 2;
}

// --delete-host-state --host <namespace/name>: deletes that function host's consumer group and topics, then exits
// (the operator's cleanup Job for a FunctionEndpoint with deletionPolicy Delete).
if (args.Contains("--delete-host-state"))
{
    return await HostStateDeletionCommand.RunAsync(module, options.HostId).ConfigureAwait(false);
}

var healthAddresses = HealthListenAddresses.Parse(HealthListenAddresses.Configured(), out var healthProblem);
if (healthAddresses is null)
{
    await Console.Error.WriteLineAsync($"statefun-runtime: {HealthListenAddresses.Variable}: {healthProblem}").ConfigureAwait(false);
    TerminationMessage.Write($"{HealthListenAddresses.Variable}: {healthProblem}");
    return 2;
}

// Listening from the start: counters recorded before the first scrape count.
RuntimeMetrics.EnsureRegistered();
using var metrics = new PrometheusExporter(RuntimeMetrics.ExportedMeters);

// The generic host without its defaults: no appsettings files (none is shipped) and so no file watcher on the
// working directory, no command line, Debug or EventSource loggers; the environment (Logging__LogLevel__...) still
// configures logging.
var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
builder.Configuration.AddEnvironmentVariables();
builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss.fff ";
});

// Within Kubernetes' default 30 s grace period: leave the group and commit, then go.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
builder.Services.AddSingleton(module);
builder.Services.AddSingleton(options);
builder.Services.AddHostedService(services => new HealthHttpServer(
    healthAddresses,
    new HealthEndpoint(services.GetRequiredService<IHostApplicationLifetime>(), metrics),
    services.GetRequiredService<ILogger<HealthHttpServer>>()));
builder.Services.AddHostedService<ModuleRunner>();
using var host = builder.Build();
await host.RunAsync().ConfigureAwait(false);
return Environment.ExitCode;
