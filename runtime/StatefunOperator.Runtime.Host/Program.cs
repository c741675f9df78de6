using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Runtime.Host;
using StatefunOperator.Runtime.Hosting;

// statefun-runtime --module <module.yaml> [--role all|ingress|host] [--host <namespace/name>]: runs a StateFun
// module: its Kafka ingresses (ingress workers) and the function hosts of its endpoints (see RoleArguments).
// The module file may also be given by STATEFUN_MODULE; in a pod the operator mounts it at
// /etc/statefun/module.yaml. Health: GET /healthz (liveness) and /readyz (readiness) on
// STATEFUN_HEALTH_URLS (see HealthEndpoint), with /metrics (Prometheus) and /status (consumer lag).
var modulePath = ModulePathArgument.Resolve(args);
var options = RoleArguments.Resolve(args, out var argumentProblem);
if (argumentProblem is not null)
{
    await Console.Error.WriteLineAsync("statefun-runtime: " + argumentProblem).ConfigureAwait(false);
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

    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls(HealthEndpoint.Urls());
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss.fff ";
});
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

// Within Kubernetes' default 30 s grace period: leave the group and commit, then go.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
builder.Services.AddSingleton(module);
builder.Services.AddSingleton(options);
HealthEndpoint.AddMetrics(builder.Services);
builder.Services.AddHostedService<ModuleRunner>();
await using var app = builder.Build();
HealthEndpoint.Map(app);
await app.RunAsync().ConfigureAwait(false);
return Environment.ExitCode;
