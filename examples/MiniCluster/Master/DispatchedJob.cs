using MiniCluster.Contracts;

namespace MiniCluster.Master;

/// <summary>A job the dispatcher runs: its job master's endpoint and gateway, and its final status once finished.</summary>
internal sealed class DispatchedJob(string endpointName, IJobMasterGateway master)
{
    public string EndpointName { get; } = endpointName;

    public IJobMasterGateway Master { get; } = master;

    public JobStatus? Final { get; set; }
}
