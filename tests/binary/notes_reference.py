"""The notes' binary-addition program (seed 003 section 4), kept as close to verbatim as a function allows.

Only three changes: it is a function (steps, hidden size and bits as arguments), it draws from a
``np.random.RandomState(seed)`` instead of the global ``np.random.seed(0)`` state (the same stream),
and it returns its weights and printouts instead of printing. The tests compare the library with it.
"""

import copy

import numpy as np


def sigmoid(x):
    output = 1 / (1 + np.exp(-x))
    return output


def sigmoid_output_to_derivative(output):
    return output * (1 - output)


def notes_program(steps=10000, seed=0, binary_dim=8, hidden_dim=16, alpha=0.1):
    random = np.random.RandomState(seed)
    int2binary = {}
    largest_number = pow(2, binary_dim)
    binary = np.array([[int(ch) for ch in format(i, f"0{binary_dim}b")] for i in range(largest_number)],
                      dtype=np.uint8)  # np.unpackbits does 8 bits only
    for i in range(largest_number):
        int2binary[i] = binary[i]
    input_dim = 2
    output_dim = 1

    synapse_0 = 2 * random.random((input_dim, hidden_dim)) - 1
    synapse_1 = 2 * random.random((hidden_dim, output_dim)) - 1
    synapse_h = 2 * random.random((hidden_dim, hidden_dim)) - 1

    synapse_0_update = np.zeros_like(synapse_0)
    synapse_1_update = np.zeros_like(synapse_1)
    synapse_h_update = np.zeros_like(synapse_h)

    printouts = []
    for j in range(steps):
        a_int = random.randint(largest_number / 2)
        a = int2binary[a_int]
        b_int = random.randint(largest_number / 2)
        b = int2binary[b_int]
        c_int = a_int + b_int
        c = int2binary[c_int]
        d = np.zeros_like(c)
        overallError = 0
        layer_2_deltas = list()
        layer_1_values = list()
        layer_1_values.append(np.zeros(hidden_dim))
        for position in range(binary_dim):
            X = np.array([[a[binary_dim - position - 1], b[binary_dim - position - 1]]])
            y = np.array([[c[binary_dim - position - 1]]]).T
            layer_1 = sigmoid(np.dot(X, synapse_0) + np.dot(layer_1_values[-1], synapse_h))
            layer_2 = sigmoid(np.dot(layer_1, synapse_1))
            layer_2_error = y - layer_2
            layer_2_deltas.append((layer_2_error) * sigmoid_output_to_derivative(layer_2))
            overallError += np.abs(layer_2_error[0])
            d[binary_dim - position - 1] = np.round(layer_2[0][0])
            layer_1_values.append(copy.deepcopy(layer_1))
        future_layer_1_delta = np.zeros(hidden_dim)
        for position in range(binary_dim):
            X = np.array([[a[position], b[position]]])
            layer_1 = layer_1_values[-position - 1]
            prev_layer_1 = layer_1_values[-position - 2]
            layer_2_delta = layer_2_deltas[-position - 1]
            layer_1_delta = (future_layer_1_delta.dot(synapse_h.T) + layer_2_delta.dot(
                synapse_1.T)) * sigmoid_output_to_derivative(layer_1)
            synapse_1_update += np.atleast_2d(layer_1).T.dot(layer_2_delta)
            synapse_h_update += np.atleast_2d(prev_layer_1).T.dot(layer_1_delta)
            synapse_0_update += X.T.dot(layer_1_delta)
            future_layer_1_delta = layer_1_delta
        synapse_0 += synapse_0_update * alpha
        synapse_1 += synapse_1_update * alpha
        synapse_h += synapse_h_update * alpha
        synapse_0_update *= 0
        synapse_1_update *= 0
        synapse_h_update *= 0
        if (j % 1000 == 0):
            out = 0
            for index, x in enumerate(reversed(d)):
                out += x * pow(2, index)
            printouts.append({"step": j + 1, "error": float(overallError[0]), "pred": "".join(map(str, d)),
                              "true": "".join(map(str, c)), "a": int(a_int), "b": int(b_int), "out": int(out)})
    return {"W_ih": synapse_0, "W_ho": synapse_1, "W_hh": synapse_h, "printouts": printouts}
