using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Runtime.Functions;

namespace StatefunOperator.Runtime.Tests.Functions;

public sealed class HttpEndpointYamlTests
{
    private const string Ingress = """
        kind: io.statefun.kafka.v1/ingress
        spec:
          id: example/in
          address: kafka:9092
          consumerGroupId: g
          topics:
            - topic: names
              valueType: example/Name
              targets:
                - example/greeter
                - other/audit
        ---

        """;

    [Fact]
    public void Endpoint_IsRead_WithTransportTimeoutsAndBatchSize()
    {
        var module = ModuleYamlLoader.Load(Ingress + """
            kind: io.statefun.endpoints.v2/http
            spec:
              functions: example/*
              urlPathTemplate: http://functions:8000/statefun/{function.name}
              transport:
                type: io.statefun.transports.v1/async
                call: 2m
                connect: 20s
              maxNumBatchRequests: 50
            ---
            kind: io.statefun.endpoints.v2/http
            spec:
              functions: other/audit
              urlPathTemplate: https://audit.example.com/statefun
            """);

        var wildcard = module.Endpoints[0];
        Assert.Equal(new FunctionEndpoint(StatefunOperator.Module.TypeName.Parse("example/*"), "http://functions:8000/statefun/{function.name}", TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(20), 50), wildcard with { Host = null });
        Assert.Equal("statefun.example.all.inbox", wildcard.Host!.InboxTopic);
        Assert.Equal("kafka:9092", wildcard.Host.Address);
        Assert.Equal(new Uri("http://functions:8000/statefun/greeter"), wildcard.UrlFor(StatefunOperator.Module.TypeName.Parse("example/greeter")));
        var exact = module.Endpoints[1];
        Assert.Equal(FunctionEndpoint.DefaultCallTimeout, exact.CallTimeout);
        Assert.Equal(FunctionEndpoint.DefaultMaxNumBatchRequests, exact.MaxNumBatchRequests);
        Assert.Empty(module.Notices);
    }

    [Fact]
    public void TargetWithoutEndpoint_IsAProblem_NamingTheField()
    {
        var problems = Assert.Throws<ModuleConfigurationException>(() => ModuleYamlLoader.Load(Ingress + """
            kind: io.statefun.endpoints.v2/http
            spec:
              functions: example/*
              urlPathTemplate: http://functions:8000/{function.name}
            """)).Problems;

        Assert.Equal(["ingress example/in: topics[0].targets[1]: no endpoint serves 'other/audit'; declared endpoints serve example/*"], problems);
    }

    [Fact]
    public void BadEndpointFields_AreAllReported_NamingTheField()
    {
        var problems = Assert.Throws<ModuleConfigurationException>(() => ModuleYamlLoader.Load("""
            kind: io.statefun.endpoints.v2/http
            spec:
              functions: example
              urlPathTemplate: functions:8000
              transport:
                call: soon
              maxNumBatchRequests: -1
            """)).Problems;

        Assert.Equal(
            [
                "endpoint example: functions: 'example' is not of the form namespace/type or namespace/*",
                "endpoint example: urlPathTemplate: 'functions:8000' is not an http(s) URL (e.g. http://functions:8000/statefun/{function.name})",
                "endpoint example: transport.call: 'soon' is not a positive duration (e.g. 2m, 20s, 500ms)",
                "endpoint example: maxNumBatchRequests: '-1' is not a positive whole number",
            ],
            problems);
    }

    [Fact]
    public void ModuleWithoutEndpoints_KeepsLoading_WithANoticeAboutItsTargets()
    {
        var module = ModuleYamlLoader.Load(Ingress.Replace("---", string.Empty, StringComparison.Ordinal));

        Assert.Contains("records for function targets are logged, not invoked", Assert.Single(module.Notices), StringComparison.Ordinal);
    }
}
