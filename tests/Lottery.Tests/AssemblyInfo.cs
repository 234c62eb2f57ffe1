// The failure tests time processes against each other on a 2-core machine: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
