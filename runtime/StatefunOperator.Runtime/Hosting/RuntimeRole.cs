namespace StatefunOperator.Runtime.Hosting;

/// <summary>What a runtime process runs of its module (<c>--role</c>).</summary>
public enum RuntimeRole
{
    /// <summary>Every ingress and the function host of every endpoint (a standalone StateFun module).</summary>
    All,

    /// <summary>The ingresses only: function targets go to the hosts' inboxes.</summary>
    Ingress,

    /// <summary>Function hosts only (all of the module's, or the one named by <c>--host</c>).</summary>
    Host,
}
