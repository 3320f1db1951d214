import ThrottlectlCLI

Throttlectl.main()
