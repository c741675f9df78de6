using StatefunOperator.Crds.Common;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Module.Validation;
using StatefunOperator.Module.Yaml;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Tests.Support;

namespace StatefunOperator.Operator.Tests.Desired;

public class HostModuleRenderingTests
{
    [Fact]
    public void HostModule_HoldsItsEndpointFirst_TheOtherHosts_AndOnlyItsEgresses_NoIngress()
    {
        var greeter = TestResources.Endpoint("shop", "greeter", "com.example/greeter");
        greeter.Spec.Partitions = 12;
        greeter.Spec.DeliverySemantic = new HostDeliverySemantic { Type = "at-least-once" };
        var counter = TestResources.Endpoint("shop", "counter", "com.example/counter");

        var rendered = ModuleYamlRenderer.RenderHost(new HostModuleInputs(greeter, [counter], [TestResources.Egress()]));
        var read = ModuleYamlReader.Read(rendered.Yaml);

        Assert.Empty(read.Problems);
        var module = read.Module;
        Assert.Empty(module.Ingresses);
        Assert.Equal(["shop/greetings"], module.Egresses.Select(e => e.Id));
        Assert.Equal(["shop/greeter", "shop/counter"], module.Endpoints.Select(e => e.Host!.Id));
        var own = FunctionHosts.Resolve(module.Endpoints[0], null, out _)!;
        Assert.Equal(("kafka:9092", 12, false), (own.Address, own.Partitions, own.ExactlyOnce));
        Assert.Equal("statefun.shop.greeter.inbox", FunctionHosts.InboxTopic(own.Id));
        Assert.Equal(8, FunctionHosts.Resolve(module.Endpoints[1], null, out _)!.Partitions);
        Assert.Empty(ModuleValidatorProblems(rendered.Yaml));
    }

    [Fact]
    public void K2_HostHash_ChangesWithItsOwnUrl_NotWithAnotherEndpointsUrl()
    {
        var greeter = TestResources.Endpoint("shop", "greeter", "com.example/greeter");
        var counter = TestResources.Endpoint("shop", "counter", "com.example/counter");
        var before = ModuleYamlRenderer.RenderHost(new HostModuleInputs(greeter, [counter], []));

        counter.Spec.UrlPathTemplate = "http://elsewhere:9000/{function.name}";
        var otherUrlChanged = ModuleYamlRenderer.RenderHost(new HostModuleInputs(greeter, [counter], []));
        Assert.NotEqual(before.Yaml, otherUrlChanged.Yaml);
        Assert.Equal(before.Hash, otherUrlChanged.Hash);

        greeter.Spec.UrlPathTemplate = "http://elsewhere:9000/{function.name}";
        Assert.NotEqual(before.Hash, ModuleYamlRenderer.RenderHost(new HostModuleInputs(greeter, [counter], [])).Hash);

        counter.Spec.Address = "other:9092";
        Assert.NotEqual(otherUrlChanged.Hash, ModuleYamlRenderer.RenderHost(new HostModuleInputs(TestResources.Endpoint("shop", "greeter", "com.example/greeter"), [counter], [])).Hash);
    }

    [Fact]
    public void K2_IngressHash_IgnoresTheEndpointsUrlAndTimeouts_ButFollowsItsHost()
    {
        var ingress = TestResources.Ingress();
        var endpoint = TestResources.Endpoint();
        var before = ModuleYamlRenderer.Render(new ModuleInputs(ingress, [], [endpoint]));

        endpoint.Spec.UrlPathTemplate = "http://elsewhere:9000/{function.name}";
        endpoint.Spec.Timeouts = new EndpointTimeouts { Call = "5m" };
        endpoint.Spec.MaxNumBatchRequests = 10;
        var urlChanged = ModuleYamlRenderer.Render(new ModuleInputs(ingress, [], [endpoint]));
        Assert.Contains("http://elsewhere:9000/", urlChanged.Yaml, StringComparison.Ordinal);
        Assert.Equal(before.Hash, urlChanged.Hash);

        endpoint.Spec.Address = "other:9092";
        Assert.NotEqual(before.Hash, ModuleYamlRenderer.Render(new ModuleInputs(ingress, [], [endpoint])).Hash);
    }

    [Fact]
    public void AppliedPartitions_WinOverASpecChange_InEveryModuleNamingTheHost()
    {
        var endpoint = TestResources.Endpoint();
        endpoint.Spec.Partitions = 16;
        endpoint.Status = new FunctionEndpointStatus { Partitions = 8 };

        Assert.Contains("partitions: 8\n", ModuleYamlRenderer.Render(new ModuleInputs(TestResources.Ingress(), [], [endpoint])).Yaml, StringComparison.Ordinal);
        Assert.Contains("partitions: 8\n", ModuleYamlRenderer.RenderHost(new HostModuleInputs(endpoint, [], [])).Yaml, StringComparison.Ordinal);
        Assert.True(HostPartitions.ChangeRequested(endpoint));
        Assert.Contains("cannot change from 8 to 16", HostPartitions.RefusalMessage(endpoint), StringComparison.Ordinal);
    }

    [Fact]
    public void HostCredentials_ArePlaceholdersFromSecrets_ForItsOwnAndTheOtherHostsClusters()
    {
        var greeter = TestResources.Endpoint("shop", "greeter", "com.example/greeter");
        greeter.Spec.Security = Sasl("own-kafka");
        var counter = TestResources.Endpoint("shop", "counter", "com.example/counter");
        counter.Spec.Security = Sasl("other-kafka");

        var rendered = ModuleYamlRenderer.RenderHost(new HostModuleInputs(greeter, [counter], []));

        Assert.Contains("sasl.password: ${STATEFUN_HOST_SASL_PASSWORD}", rendered.Yaml, StringComparison.Ordinal);
        Assert.Contains("sasl.password: ${STATEFUN_ENDPOINT_0_SASL_PASSWORD}", rendered.Yaml, StringComparison.Ordinal);
        Assert.Equal(["own-kafka", "own-kafka", "other-kafka", "other-kafka"], rendered.Credentials.Env.Select(e => e.ValueFrom.SecretKeyRef.Name));

        var read = ModuleYamlReader.Read(rendered.Yaml, name => "from-env-" + name);
        Assert.Empty(read.Problems);
        Assert.Contains(read.Module.Endpoints[0].Host!.Properties, p => p.Key == "sasl.password" && p.Value == "from-env-STATEFUN_HOST_SASL_PASSWORD");
    }

    [Fact]
    public void IngressModule_CarriesTheCredentialsOfItsTargetsHostClusters()
    {
        var endpoint = TestResources.Endpoint();
        endpoint.Spec.Security = Sasl("host-kafka");
        var rendered = ModuleYamlRenderer.Render(new ModuleInputs(TestResources.Ingress(), [], [endpoint]));

        Assert.Contains("${STATEFUN_ENDPOINT_0_SASL_USERNAME}", rendered.Yaml, StringComparison.Ordinal);
        Assert.Contains(rendered.Credentials.Env, e => e.Name == "STATEFUN_ENDPOINT_0_SASL_USERNAME" && e.ValueFrom.SecretKeyRef.Name == "host-kafka");
    }

    private static IReadOnlyList<string> ModuleValidatorProblems(string yaml) => ModuleValidator.Validate(ModuleYamlReader.Read(yaml).Module);

    private static KafkaSecurity Sasl(string secret) => new()
    {
        Sasl = new SaslAuthentication
        {
            Mechanism = "SCRAM-SHA-512",
            UsernameSecret = new SecretKeySelector { Name = secret, Key = "username" },
            PasswordSecret = new SecretKeySelector { Name = secret, Key = "password" },
        },
    };
}
